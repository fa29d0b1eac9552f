import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceDefinition } from '@crc/platform';
import { REPORTING_SERVICE } from '../../reporting/src/reporting.app.module';
import { TELEHEALTH_SERVICE } from '../../telehealth/src/telehealth.app.module';
import { MEMBERSHIP_SERVICE } from '../../membership/src/membership.app.module';
import { CHECKIN_SERVICE } from './checkin.app.module';

/**
 * Every service, started as its `main.ts` starts it, refuses the development credentials and keys
 * outside development, before it connects to anything, naming what to set.
 */
describe('the four services in production', () => {
  const services: ServiceDefinition[] = [CHECKIN_SERVICE, MEMBERSHIP_SERVICE, TELEHEALTH_SERVICE, REPORTING_SERVICE];
  const ownCredentials = join(mkdtempSync(join(tmpdir(), 'crc-stance-')), 'credentials.json');
  writeFileSync(ownCredentials, JSON.stringify({ ops: [{ tokenSha256: 'cd'.repeat(32) }] }));
  const refusal = (definition: ServiceDefinition, env: Record<string, string>) => {
    try {
      definition.rootModule(env);
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each(services.map((s) => [s.name, s] as const))('%s refuses to start as production with the development credentials', (_name, definition) => {
    for (const NODE_ENV of ['production', 'prod', 'Production ', '']) {
      expect(refusal(definition, { NODE_ENV })).toMatch(/CREDENTIALS_FILE must name this deployment's own credentials file/);
    }
    expect(refusal(definition, { NODE_ENV: 'development' })).toBe('');
  });

  it('refuses the development keys of telehealth and reporting, naming each', () => {
    expect(refusal(TELEHEALTH_SERVICE, { NODE_ENV: 'production', CREDENTIALS_FILE: ownCredentials })).toMatch(
      /DEVICE_ID_HASH_KEY is unfit as a secret: it is a published development key/,
    );
    expect(refusal(REPORTING_SERVICE, { NODE_ENV: 'production', CREDENTIALS_FILE: ownCredentials })).toMatch(
      /FHIR_PSEUDONYM_KEY is unfit as a secret: it is a published development key/,
    );
    expect(refusal(CHECKIN_SERVICE, { NODE_ENV: 'production', CREDENTIALS_FILE: ownCredentials })).toBe('');
  });
});
