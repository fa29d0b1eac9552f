import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadEnvironment } from '@crc/platform';
import { DEV_ONLY_DEVICE_ID_HASH_KEY, TelehealthEnvironment } from './telehealth.environment';

/** A credentials file of the deployment's own (none of the development tokens). */
const OWN_CREDENTIALS = join(mkdtempSync(join(tmpdir(), 'crc-env-')), 'credentials.json');
writeFileSync(OWN_CREDENTIALS, JSON.stringify({ ops: [{ tokenSha256: 'ab'.repeat(32) }] }));

/** A development start, unless the test says otherwise. */
const load = (env: Record<string, string>) => loadEnvironment(TelehealthEnvironment, { NODE_ENV: 'development', ...env });

describe('TelehealthEnvironment', () => {
  it('defaults to a 600 s idle timeout and the marked development key', () => {
    const config = load({});
    expect(config.SESSION_IDLE_TIMEOUT_SECONDS).toBe(600);
    expect(config.SESSION_SWEEP_INTERVAL_SECONDS).toBe(30);
    expect(config.DEVICE_ID_HASH_KEY).toBe(DEV_ONLY_DEVICE_ID_HASH_KEY);
  });

  it('refuses a short device-hash key without printing it', () => {
    const attempt = () => load({ DEVICE_ID_HASH_KEY: 'short-secret-value' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/DEVICE_ID_HASH_KEY: .*shorter than 32 characters.*\(value not shown\)/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it('refuses the development key and weak keys in production (any NODE_ENV but development or test), and takes a real one', () => {
    const production = { NODE_ENV: 'production', CREDENTIALS_FILE: OWN_CREDENTIALS };
    for (const NODE_ENV of ['production', 'Production', 'prod', 'production ', 'staging']) {
      expect(() => load({ ...production, NODE_ENV })).toThrow(
        /DEVICE_ID_HASH_KEY is unfit as a secret: it is a published development key .*set DEVICE_ID_HASH_KEY to 32\+ random characters/,
      );
    }
    // Unset is production too.
    expect(() => loadEnvironment(TelehealthEnvironment, { CREDENTIALS_FILE: OWN_CREDENTIALS })).toThrow(
      /DEVICE_ID_HASH_KEY is unfit as a secret: it is a published development key \(NODE_ENV is not development or test/,
    );
    expect(() => load({ ...production, DEVICE_ID_HASH_KEY: 'a'.repeat(40) })).toThrow(/DEVICE_ID_HASH_KEY is unfit as a secret: it repeats one character/);
    const secret = 'b3f1c0de9a8e7d6c5b4a39281706f5e4d3c2b1a0';
    expect(load({ ...production, DEVICE_ID_HASH_KEY: secret }).DEVICE_ID_HASH_KEY).toBe(secret);
    expect(load({ NODE_ENV: 'development', DEVICE_ID_HASH_KEY: 'a'.repeat(40) }).DEVICE_ID_HASH_KEY).toBe('a'.repeat(40));
  });

  it('refuses the development credentials in production, naming CREDENTIALS_FILE', () => {
    expect(() => load({ NODE_ENV: 'production', DEVICE_ID_HASH_KEY: 'b3f1c0de9a8e7d6c5b4a39281706f5e4d3c2b1a0' })).toThrow(
      /CREDENTIALS_FILE must name this deployment's own credentials file/,
    );
  });

  it('refuses a timeout that is not a positive whole number of seconds', () => {
    expect(() => load({ SESSION_IDLE_TIMEOUT_SECONDS: '0' })).toThrow(/SESSION_IDLE_TIMEOUT_SECONDS/);
    expect(() => load({ SESSION_SWEEP_INTERVAL_SECONDS: 'soon' })).toThrow(/SESSION_SWEEP_INTERVAL_SECONDS/);
  });
});

describe('TelehealthEnvironment: the visit directory', () => {
  it('remembers check-ins for 14 days by default, and refuses a window that is not whole days from 1 to 366', () => {
    expect(load({}).KNOWN_VISITS_RETENTION_DAYS).toBe(14);
    expect(load({ KNOWN_VISITS_RETENTION_DAYS: '30' }).KNOWN_VISITS_RETENTION_DAYS).toBe(30);
    expect(() => load({ KNOWN_VISITS_RETENTION_DAYS: '0' })).toThrow(/KNOWN_VISITS_RETENTION_DAYS/);
    expect(() => load({ KNOWN_VISITS_RETENTION_DAYS: 'forever' })).toThrow(/KNOWN_VISITS_RETENTION_DAYS/);
    expect(() => load({ KNOWN_VISITS_SWEEP_SECONDS: '0' })).toThrow(/KNOWN_VISITS_SWEEP_SECONDS/);
  });
});
