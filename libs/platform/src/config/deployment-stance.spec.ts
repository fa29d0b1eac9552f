import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEVELOPMENT_CREDENTIALS_FILE,
  DEVELOPMENT_TOKEN_DIGESTS,
  deploymentStanceOf,
  developmentCredentialsProblem,
  holdsDevelopmentToken,
  secretKeyWeakness,
} from './deployment-stance';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('deploymentStanceOf', () => {
  it('is development only for development and test, trimmed and in any case', () => {
    for (const value of ['development', 'test', ' Development ', 'TEST', 'development\n']) expect(deploymentStanceOf(value)).toBe('development');
  });

  it('is production for anything else, unset and empty included', () => {
    for (const value of [undefined, '', ' ', 'production', 'Production', 'prod', 'production ', 'staging', 'dev', 'develop', 'testing']) {
      expect([value, deploymentStanceOf(value)]).toEqual([value, 'production']);
    }
  });
});

describe('secretKeyWeakness', () => {
  it('accepts keys made the way the runbook says (openssl rand -hex 16 / 24 / 32, base64)', () => {
    for (const key of [
      '3f9c2a71d8e04b6f95a1c7e2d0b84f63',
      '9b2e7f04c1d8a6355e0f7b19c2d4a8e6f1b3c5d7092e4a61',
      '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
      'q7Vw3Zx9Lp2Rt8Ny4Bm6Kc1Hd5Gf0Js+Ua/Eo=',
    ]) {
      expect([key, secretKeyWeakness(key)]).toEqual([key, undefined]);
    }
  });

  it('names what is wrong with a weak key', () => {
    expect(secretKeyWeakness('short-secret-value')).toMatch(/shorter than 32/);
    expect(secretKeyWeakness('a'.repeat(32))).toMatch(/repeats one character/);
    expect(secretKeyWeakness('passwordpasswordpasswordpassword')).toMatch(/one short pattern repeated/);
    expect(secretKeyWeakness('abcdefghijklmnopqrstuvwxyz012345')).toMatch(/follow their neighbour/);
    expect(secretKeyWeakness('aeuieuaeauiueiaeuaiueiauieauieaueiaue')).toMatch(/too few different characters/);
    expect(secretKeyWeakness('my-own-dev-only-key-0f1e2d3c4b5a6978')).toMatch(/published development key/);
    expect(secretKeyWeakness('dev-only-device-id-hash-key-NOT-A-SECRET-do-not-use-in-production')).toMatch(/published development key/);
  });
});

describe('development credentials', () => {
  const seedText = readFileSync(join(ROOT, DEVELOPMENT_CREDENTIALS_FILE), 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'crc-stance-'));
  const sha = (token: string) => createHash('sha256').update(token).digest('hex');

  it('knows the digest of every token of the seed file, and no other (kept in step with the file)', () => {
    const seed = JSON.parse(seedText) as Record<string, Array<{ token?: string; tokenSha256?: string }>>;
    const digests = Object.values(seed)
      .flat()
      .map((entry) => (entry.token ? sha(entry.token) : entry.tokenSha256!.toLowerCase()));
    expect(new Set(digests)).toEqual(DEVELOPMENT_TOKEN_DIGESTS);
  });

  it('recognises a copy of the seed tokens, in the clear or as digests, even one among new ones', () => {
    expect(holdsDevelopmentToken(seedText)).toBe(true);
    expect(holdsDevelopmentToken(JSON.stringify({ ops: [{ tokenSha256: sha('dev-operations-token').toUpperCase() }] }))).toBe(true);
    expect(holdsDevelopmentToken(JSON.stringify({ ops: [{ token: 'a-token-of-our-own-0123456789' }, { token: 'dev-operations-token' }] }))).toBe(true);
    expect(holdsDevelopmentToken(JSON.stringify({ ops: [{ token: 'a-token-of-our-own-0123456789' }] }))).toBe(false);
  });

  it('refuses the development file by its path and by its content, and takes a file of our own', () => {
    expect(developmentCredentialsProblem(DEVELOPMENT_CREDENTIALS_FILE)).toMatch(/CREDENTIALS_FILE must name this deployment's own credentials file/);
    expect(developmentCredentialsProblem(join(ROOT, DEVELOPMENT_CREDENTIALS_FILE).replace(/\/deploy\//, '/deploy/../deploy/'))).toBeDefined();
    const copy = join(dir, 'copy.json');
    writeFileSync(copy, seedText);
    expect(developmentCredentialsProblem(copy)).toMatch(/holds development tokens/);
    const own = join(dir, 'own.json');
    writeFileSync(own, JSON.stringify({ ops: [{ tokenSha256: sha('a-token-of-our-own-0123456789') }] }));
    expect(developmentCredentialsProblem(own)).toBeUndefined();
  });
});
