import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../config/environment';
import { ServiceEnvironment } from '../config/service-environment';
import { kafkaSecurity } from './kafka-factory';

class SpecEnvironment extends ServiceEnvironment {
  readonly serviceName = 'spec';
  PORT = 3000;
  MONGODB_DATABASE = 'spec';
}

describe('kafkaSecurity', () => {
  it('connects in the clear by default, as to a local broker', () => {
    expect(kafkaSecurity(loadEnvironment(SpecEnvironment, { NODE_ENV: 'development' }))).toEqual({ ssl: false });
  });

  it("authenticates with SCRAM over TLS, trusting the cluster's own CA, as on Strimzi's listener", () => {
    const ca = join(mkdtempSync(join(tmpdir(), 'kafka-ca-')), 'ca.crt');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nspec\n-----END CERTIFICATE-----\n');
    const config = loadEnvironment(SpecEnvironment, {
      NODE_ENV: 'development',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'crc-checkin',
      KAFKA_SASL_PASSWORD: 'from-the-kafka-user-secret',
      KAFKA_SSL_CA_FILE: ca,
    });
    expect(kafkaSecurity(config)).toEqual({
      ssl: { ca: ['-----BEGIN CERTIFICATE-----\nspec\n-----END CERTIFICATE-----\n'] },
      sasl: { mechanism: 'scram-sha-512', username: 'crc-checkin', password: 'from-the-kafka-user-secret' },
    });
  });

  it('refuses a mechanism without credentials, naming the variables, and never echoes a password', () => {
    expect(() => loadEnvironment(SpecEnvironment, { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'crc-checkin' })).toThrow(
      /KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM \(not set\)/,
    );
    expect(() => loadEnvironment(SpecEnvironment, { KAFKA_SASL_MECHANISM: 'kerberos', KAFKA_SASL_PASSWORD: 'hunter2-hunter2' })).toThrow(
      /KAFKA_SASL_MECHANISM/,
    );
    let message = '';
    try {
      loadEnvironment(SpecEnvironment, { KAFKA_SASL_PASSWORD: 'x'.repeat(3), KAFKA_SSL: 'maybe' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/KAFKA_SSL/);
    expect(message).not.toContain('xxx');
  });
});
