import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createEvent, serviceDateOf, VisitCheckedInV1Event } from '@crc/contracts';
import { startService } from '@crc/platform';
import { SERVICES, startTestSystem, TestSystem } from './support/test-system';

/**
 * Readiness tells the truth: reporting, and membership for its visit directory, answer
 * /health/ready (and /health) only once their consumer has joined its group, got its partitions
 * and caught up; what is in Kafka then is in their store.
 */
describe('readiness of the consuming services', () => {
  const events = 300;
  let system: TestSystem;
  let client: MongoClient;
  let late: NestFastifyApplication | undefined;
  let membership: NestFastifyApplication | undefined;

  beforeAll(async () => {
    system = await startTestSystem(['reporting']);
    client = await MongoClient.connect(system.mongoUri);
    const kafka = new Kafka({ brokers: system.kafkaBrokers, clientId: 'readiness-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const now = Date.now();
    const messages = Array.from({ length: events }, (_, i) => {
      const visitId = randomUUID();
      const checkedInAt = new Date(now - (i + 1) * 1000);
      const event = createEvent(
        VisitCheckedInV1Event,
        {
          visitId,
          centerId: 'crc-norwalk',
          serviceDate: serviceDateOf(checkedInAt),
          recordedAt: new Date(now).toISOString(),
          occurredAt: checkedInAt.toISOString(),
          visitor: { selfReportedPlan: 'NONE' },
          purposes: ['EXERCISE_CLASS'],
        },
        { source: '/crc/checkin' },
      );
      return { key: visitId, value: JSON.stringify(event) };
    });
    await producer.send({ topic: `${system.prefix}.${VisitCheckedInV1Event.topic}`, messages });
    await producer.disconnect();
  });

  afterAll(async () => {
    await late?.close();
    await membership?.close();
    await client?.db(`${system.prefix}-membership-readiness`).dropDatabase();
    await client?.db(`${system.prefix}-reporting-late`).dropDatabase();
    await client?.close();
    await system?.close();
  });

  it('says not ready until a newly started instance has consumed what is already in Kafka, then ready with all of it stored', async () => {
    const database = `${system.prefix}-reporting-late`;
    // A second reporting on a group of its own: it must read the whole topic before it is ready.
    late = await startService(SERVICES.reporting, {
      ...system.envOf('reporting'),
      PORT: '0',
      MONGODB_DATABASE: database,
      REPORTING_CONSUMER_GROUP: 'crc.reporting.readiness-test',
      READY_MAX_CONSUMER_LAG: '0',
    });
    const base = `http://127.0.0.1:${(late.getHttpServer().address() as AddressInfo).port}`;
    const notReady = await untilReady(base, 'reporting');
    // It said not ready first, for a reason it named; and ready means caught up: every event is stored.
    expect(notReady.length).toBeGreaterThan(0);
    expect(notReady[0]).toMatch(/^down: (not in its consumer group yet|\d+ events behind)/);
    expect(await client.db(database).collection('visit_records').countDocuments({})).toBe(events);
    // /health says the same.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it("says not ready until membership's visit directory has read the check-ins already in Kafka", async () => {
    const database = `${system.prefix}-membership-readiness`;
    membership = await startService(SERVICES.membership, { ...system.envOf('membership'), PORT: '0', MONGODB_DATABASE: database, READY_MAX_CONSUMER_LAG: '0' });
    const base = `http://127.0.0.1:${(membership.getHttpServer().address() as AddressInfo).port}`;
    const notReady = await untilReady(base, 'membership');
    expect(notReady.length).toBeGreaterThan(0);
    expect(notReady[0]).toMatch(/^down: (not in its consumer group yet|\d+ events behind)/);
    // Ready means a help case naming any of these visits is recognised as of its center.
    expect(await client.db(database).collection('known_visits').countDocuments({})).toBe(events);
  });
});

/** Polls /health/ready until 200 (checks all up); returns the consumer's states while it was 503. */
async function untilReady(base: string, service: string): Promise<string[]> {
  const notReady: string[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${base}/health/ready`);
    const body = (await response.json()) as { checks: Record<string, string> };
    if (response.status === 200) {
      expect(body.checks).toEqual({ store: 'up', consumer: 'up' });
      return notReady;
    }
    expect(response.status).toBe(503);
    notReady.push(body.checks.consumer);
    if (Date.now() > deadline) throw new Error(`${service} never became ready: ${notReady.slice(-3).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
