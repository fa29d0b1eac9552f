import { ConfigurationError, loadEnvironment } from '@crc/platform';
import { DEV_ONLY_DEVICE_ID_HASH_KEY, TelehealthEnvironment } from './telehealth.environment';

const load = (env: Record<string, string>) => loadEnvironment(TelehealthEnvironment, env);

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
    expect(attempt).toThrow(/DEVICE_ID_HASH_KEY: .*at least 32 characters.*\(value not shown\)/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it('refuses the development key in production, and takes a real one', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(/DEVICE_ID_HASH_KEY must be set to a secret of its own in production/);
    const secret = 'b3f1c0de9a8e7d6c5b4a39281706f5e4d3c2b1a0';
    expect(load({ NODE_ENV: 'production', DEVICE_ID_HASH_KEY: secret }).DEVICE_ID_HASH_KEY).toBe(secret);
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
