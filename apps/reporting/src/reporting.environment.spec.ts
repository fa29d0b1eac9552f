import { ConfigurationError, loadEnvironment } from '@crc/platform';
import { DEV_ONLY_FHIR_PSEUDONYM_KEY, ReportingEnvironment } from './reporting.environment';

const load = (env: Record<string, string>) => loadEnvironment(ReportingEnvironment, env);

describe('ReportingEnvironment: the FHIR pseudonym key', () => {
  it('defaults to the marked development key', () => {
    expect(load({}).FHIR_PSEUDONYM_KEY).toBe(DEV_ONLY_FHIR_PSEUDONYM_KEY);
  });

  it('refuses a short key without printing it', () => {
    const attempt = () => load({ FHIR_PSEUDONYM_KEY: 'short-secret-value' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/FHIR_PSEUDONYM_KEY: .*at least 32 characters.*\(value not shown\)/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it('refuses the development key in production, and takes a real one', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(/FHIR_PSEUDONYM_KEY must be set to a secret of its own in production/);
    const secret = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c';
    expect(load({ NODE_ENV: 'production', FHIR_PSEUDONYM_KEY: secret }).FHIR_PSEUDONYM_KEY).toBe(secret);
  });
});
