import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadEnvironment } from '@crc/platform';
import { DEFAULT_FHIR_CANONICAL_BASE } from '@crc/attribution';
import { DEV_ONLY_FHIR_PSEUDONYM_KEY, ReportingEnvironment } from './reporting.environment';

/** A credentials file of the deployment's own (none of the development tokens). */
const OWN_CREDENTIALS = join(mkdtempSync(join(tmpdir(), 'crc-env-')), 'credentials.json');
writeFileSync(OWN_CREDENTIALS, JSON.stringify({ ops: [{ tokenSha256: 'ab'.repeat(32) }] }));

/** A development start, unless the test says otherwise. */
const load = (env: Record<string, string>) => loadEnvironment(ReportingEnvironment, { NODE_ENV: 'development', ...env });

describe('ReportingEnvironment: the FHIR pseudonym key', () => {
  it('defaults to the marked development key', () => {
    expect(load({}).FHIR_PSEUDONYM_KEY).toBe(DEV_ONLY_FHIR_PSEUDONYM_KEY);
  });

  it('refuses a short key without printing it', () => {
    const attempt = () => load({ FHIR_PSEUDONYM_KEY: 'short-secret-value' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/FHIR_PSEUDONYM_KEY: .*shorter than 32 characters.*\(value not shown\)/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it('refuses the development key and weak keys in production (any NODE_ENV but development or test), and takes a real one', () => {
    const production = { NODE_ENV: 'production', CREDENTIALS_FILE: OWN_CREDENTIALS, FHIR_CANONICAL_BASE: 'https://fhir.partners.crc.test/canonical' };
    for (const NODE_ENV of ['production', 'Production', 'prod', 'production ', 'staging']) {
      expect(() => load({ ...production, NODE_ENV })).toThrow(
        /FHIR_PSEUDONYM_KEY is unfit as a secret: it is a published development key .*set FHIR_PSEUDONYM_KEY to 32\+ random characters/,
      );
    }
    // Unset is production too.
    expect(() => loadEnvironment(ReportingEnvironment, { CREDENTIALS_FILE: OWN_CREDENTIALS })).toThrow(
      /FHIR_PSEUDONYM_KEY is unfit as a secret: it is a published development key \(NODE_ENV is not development or test/,
    );
    expect(() => load({ ...production, FHIR_PSEUDONYM_KEY: 'a'.repeat(40) })).toThrow(/FHIR_PSEUDONYM_KEY is unfit as a secret: it repeats one character/);
    const secret = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';
    expect(load({ ...production, FHIR_PSEUDONYM_KEY: secret }).FHIR_PSEUDONYM_KEY).toBe(secret);
    expect(load({ NODE_ENV: 'development', FHIR_PSEUDONYM_KEY: 'a'.repeat(40) }).FHIR_PSEUDONYM_KEY).toBe('a'.repeat(40));
  });

  it('refuses the placeholder FHIR canonical base in production, and keeps it for local runs', () => {
    const production = { NODE_ENV: 'production', CREDENTIALS_FILE: OWN_CREDENTIALS, FHIR_PSEUDONYM_KEY: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c' };
    expect(() => load(production)).toThrow(
      /FHIR_CANONICAL_BASE is still the local placeholder https:\/\/crc-network\.example\/fhir \(NODE_ENV is not development or test/,
    );
    expect(load({ ...production, FHIR_CANONICAL_BASE: 'https://fhir.partners.crc.test/canonical' }).FHIR_CANONICAL_BASE).toBe(
      'https://fhir.partners.crc.test/canonical',
    );
    expect(load({ NODE_ENV: 'development' }).FHIR_CANONICAL_BASE).toBe(DEFAULT_FHIR_CANONICAL_BASE);
  });

  it('refuses the development credentials in production, naming CREDENTIALS_FILE', () => {
    expect(() => load({ NODE_ENV: 'production', FHIR_PSEUDONYM_KEY: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c' })).toThrow(
      /CREDENTIALS_FILE must name this deployment's own credentials file/,
    );
  });
});

describe('ReportingEnvironment: HTTP timeouts (shared by every service)', () => {
  it('bounds requests to 120 s and headers to 10 s by default, and refuses headers allowed longer than the whole request', () => {
    const config = load({});
    expect([config.HTTP_REQUEST_TIMEOUT_SECONDS, config.HTTP_HEADERS_TIMEOUT_SECONDS, config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS]).toEqual([120, 10, 75]);
    expect(() => load({ HTTP_REQUEST_TIMEOUT_SECONDS: '5', HTTP_HEADERS_TIMEOUT_SECONDS: '10' })).toThrow(
      /HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS/,
    );
    expect(() => load({ HTTP_REQUEST_TIMEOUT_SECONDS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_SECONDS/);
  });
});

describe('ReportingEnvironment: the public base URL', () => {
  it('defaults to the process address, and takes an http(s) URL without query, fragment or trailing slash', () => {
    expect(load({ PORT: '3004' }).publicBaseUrl).toBe('http://127.0.0.1:3004');
    expect(load({ HOST: '0.0.0.0', PORT: '3004' }).publicBaseUrl).toBe('http://127.0.0.1:3004');
    expect(load({ PUBLIC_BASE_URL: 'https://partners.crc.example' }).publicBaseUrl).toBe('https://partners.crc.example');
    expect(load({ PUBLIC_BASE_URL: 'https://crc.example/reporting' }).publicBaseUrl).toBe('https://crc.example/reporting');
    for (const bad of [
      'partners.crc.example',
      'https://partners.crc.example/',
      'https://x.example/?a=1',
      'https://x.example#f',
      'ftp://x.example',
      'https://user@x.example',
    ]) {
      expect(() => load({ PUBLIC_BASE_URL: bad })).toThrow(/PUBLIC_BASE_URL must be an http\(s\) URL/);
    }
  });
});

describe('ReportingEnvironment: the FHIR canonical base', () => {
  it('defaults to the placeholder of local runs and takes an absolute https URL of the deployment', () => {
    expect(load({}).FHIR_CANONICAL_BASE).toBe(DEFAULT_FHIR_CANONICAL_BASE);
    // Empty is unset, as for every variable.
    expect(load({ FHIR_CANONICAL_BASE: '' }).FHIR_CANONICAL_BASE).toBe(DEFAULT_FHIR_CANONICAL_BASE);
    for (const base of ['https://fhir.crc.example/fhir', 'https://crc.example', 'https://crc.example:8443/fhir/r4']) {
      expect(load({ FHIR_CANONICAL_BASE: base }).FHIR_CANONICAL_BASE).toBe(base);
    }
  });

  it('refuses at start anything but an absolute https URL without query, fragment or trailing slash', () => {
    for (const base of [
      'http://fhir.crc.example/fhir',
      'fhir.crc.example/fhir',
      '/fhir',
      'urn:crc-network:fhir',
      'https://fhir.crc.example/fhir/',
      'https://fhir.crc.example/fhir?x=1',
      'https://fhir.crc.example/fhir#top',
      'https://user@fhir.crc.example/fhir',
      'https:///fhir',
    ]) {
      expect(() => load({ FHIR_CANONICAL_BASE: base })).toThrow(/FHIR_CANONICAL_BASE must be an absolute https URL/);
    }
  });
});
