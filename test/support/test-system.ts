import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CHECKIN_SERVICE } from '../../apps/checkin/src/checkin.app.module';
import { MEMBERSHIP_SERVICE } from '../../apps/membership/src/membership.app.module';
import { REPORTING_SERVICE } from '../../apps/reporting/src/reporting.app.module';
import { TELEHEALTH_SERVICE } from '../../apps/telehealth/src/telehealth.app.module';
import { ServiceDefinition, startService } from '@crc/platform';
import { ApiClient, eventually } from '@crc/testing';
import { OpenApiConformance, OpenApiDocument } from './openapi-conformance';

export const SERVICES = {
  checkin: CHECKIN_SERVICE,
  membership: MEMBERSHIP_SERVICE,
  telehealth: TELEHEALTH_SERVICE,
  reporting: REPORTING_SERVICE,
} satisfies Record<string, ServiceDefinition>;

export type ServiceName = keyof typeof SERVICES;

export interface TestSystem {
  /** Namespaces this system's topics, consumer groups and databases. */
  readonly prefix: string;
  readonly kafkaBrokers: string[];
  readonly mongoUri: string;
  /** A client whose every answer, and every event of a stream, is held to the service's OpenAPI document (see openapi-conformance.ts). */
  api(service: ServiceName, token?: string): ApiClient;
  app(service: ServiceName): NestFastifyApplication;
  /** The environment a service of this system runs with (for tools that run alongside it). */
  envOf(service: ServiceName): Record<string, string | undefined>;
  /** Stops one service (as a crash or a deploy would) and starts it again on the same port. */
  restart(service: ServiceName): Promise<void>;
  /** Every answer seen not as documented; a test that provokes one on purpose removes it. */
  readonly contractViolations: string[];
  /** Stops everything; fails if any answer was not as documented, even one a test caught. */
  close(): Promise<void>;
}

/**
 * Runs the services in this process against the real broker and store the global setup started.
 * Each system gets its own topic prefix and databases, so test files never see each other's data.
 */
export async function startTestSystem(services: ServiceName[], extraEnv: Record<string, string> = {}): Promise<TestSystem> {
  const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const mongoUri = process.env.MONGODB_URI ?? '';
  if (kafkaBrokers.length === 0 || !mongoUri) throw new Error('KAFKA_BROKERS and MONGODB_URI must be set (the e2e global setup does this)');
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const apps = new Map<ServiceName, NestFastifyApplication>();
  const ports = new Map<ServiceName, number>();

  const envOf = (name: ServiceName, port: number) => ({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    MONGODB_URI: mongoUri,
    MONGODB_DATABASE: `${prefix}-${name}`,
    KAFKA_BROKERS: kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    // Everything at info goes to one file, which the global teardown scans for PHI.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    ...(process.env.E2E_LOG_FILE ? { LOG_FILE: process.env.E2E_LOG_FILE } : {}),
    // Tests that wait for a relay's sweep or compaction (an outage, a backdated document) wait a second, not five.
    OUTBOX_SWEEP_SECONDS: '1',
    ...extraEnv,
  });
  const boot = async (name: ServiceName, port: number) => {
    const app = await startService(SERVICES[name], envOf(name, port));
    apps.set(name, app);
    ports.set(name, (app.getHttpServer().address() as AddressInfo).port);
  };

  for (const name of services) await boot(name, 0);
  // Ready means healthy: the store answers, the producer is connected (its topics exist) and, for
  // reporting, its consumer has joined its group and caught up (the consumer readiness gate).
  for (const name of services) {
    const client = new ApiClient(`http://127.0.0.1:${ports.get(name)}`);
    await eventually(
      () => client.get('/health'),
      (r) => r.status === 200,
      { what: `${name} to be healthy`, timeoutMs: 60_000, intervalMs: 100 },
    );
  }
  // Each service's document as it serves it: every answer a test receives is checked against it.
  const conformance = new Map<ServiceName, OpenApiConformance>();
  const contractViolations: string[] = [];
  for (const name of services) {
    const document = (await new ApiClient(`http://127.0.0.1:${ports.get(name)}`).get<OpenApiDocument>('/docs-json')).body;
    conformance.set(name, new OpenApiConformance(name, document, contractViolations));
  }

  return {
    prefix,
    kafkaBrokers,
    mongoUri,
    contractViolations,
    api: (service, token) => {
      const contract = conformance.get(service);
      return new ApiClient(
        `http://127.0.0.1:${ports.get(service)}`,
        token,
        contract && ((exchange) => contract.check(exchange)),
        contract && ((exchange, event) => contract.checkEvent(exchange, event)),
      );
    },
    envOf: (service) => envOf(service, ports.get(service) ?? 0),
    app: (service) => {
      const app = apps.get(service);
      if (!app) throw new Error(`${service} is not running in this test system`);
      return app;
    },
    restart: async (service) => {
      await apps.get(service)?.close();
      await boot(service, ports.get(service)!);
    },
    close: async () => {
      for (const name of [...apps.keys()].reverse()) await apps.get(name)!.close();
      const client = await MongoClient.connect(mongoUri);
      try {
        for (const name of services) await client.db(`${prefix}-${name}`).dropDatabase();
      } finally {
        await client.close();
      }
      if (contractViolations.length > 0) {
        throw new Error(`${contractViolations.length} answer(s) not as the OpenAPI documents say:\n${contractViolations.join('\n')}`);
      }
    },
  };
}
