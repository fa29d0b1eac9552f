import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { RunningInfrastructure, startInfrastructure } from '../libs/infra/src';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

/**
 * Kafka goes away while a center keeps checking visitors in. Check-ins must keep succeeding,
 * and once the broker is back every event must arrive, none lost, and reach the partner feed
 * exactly once. This file runs its own broker so it can stop it.
 */
describe('check-ins while Kafka is down', () => {
  const center = 'crc-lynwood';
  const visits = 20;
  let broker: RunningInfrastructure;
  let system: TestSystem;

  beforeAll(async () => {
    broker = await startInfrastructure({ purpose: 'test', env: { ...process.env, KAFKA_BROKERS: '' } });
    if (!broker.kafkaControl) throw new Error('this test needs a broker it can stop (a local one); got ' + broker.source.kafka);
    system = await startTestSystem(['checkin', 'reporting'], { KAFKA_BROKERS: broker.kafkaBrokers.join(',') });
    const upload = await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), {
        'content-type': 'application/x-ndjson',
      });
    expect(upload.status).toBe(200);
  });

  afterAll(async () => {
    await system?.close();
    await broker?.stop();
  });

  it('accepts every check-in during the outage and delivers each event once it is back', async () => {
    await broker.kafkaControl!.stop();
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    const accepted: string[] = [];
    for (let i = 0; i < visits; i++) {
      const response = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'LAC100001' }), { 'idempotency-key': randomUUID() });
      expect(response.status).toBe(201);
      accepted.push(response.body.visitId);
    }
    const health = await eventually(
      () => system.api('checkin').get('/health'),
      (r) => r.body.checks?.kafka === 'down',
      {
        what: 'health to report Kafka down',
        timeoutMs: 15_000,
      },
    );
    expect(health.status).toBe(503);
    expect(health.body.checks).toEqual({ store: 'up', kafka: 'down' });
    // The probes Kubernetes uses keep the kiosks' service in rotation: the outbox covers the outage.
    expect((await system.api('checkin').get('/health/ready')).body).toEqual({ status: 'ok', checks: { store: 'up' } });
    expect((await system.api('checkin').get('/health/live')).status).toBe(200);

    // Nothing is lost meanwhile: every event waits in its visit's outbox.
    const client = await MongoClient.connect(system.mongoUri);
    try {
      const pending = await client
        .db(`${system.prefix}-checkin`)
        .collection('visits')
        .countDocuments({ _id: { $in: accepted as never[] }, outboxPending: true });
      expect(pending).toBe(visits);
    } finally {
      await client.close();
    }

    const outageEnded = Date.now();
    await broker.kafkaControl!.start();
    const probe = await TopicProbe.start(broker.kafkaBrokers, [`${system.prefix}.${VisitCheckedInV1Event.topic}`]);
    try {
      await probe.waitFor((all) => new Set(all.map((m) => m.envelope.subject)).size >= visits, `${visits} check-in events`, 90_000);
      process.stdout.write(`all ${visits} events published ${Date.now() - outageEnded} ms after the broker came back\n`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const eventIds = probe.messages.map((m) => m.envelope.id);
      const byVisit = new Map<string, Set<string>>();
      for (const m of probe.messages) byVisit.set(m.envelope.subject, (byVisit.get(m.envelope.subject) ?? new Set()).add(m.envelope.id));
      // Exactly the accepted visits, each with one event id (a consumer deduping by id sees each once).
      expect([...byVisit.keys()].sort()).toEqual([...accepted].sort());
      for (const ids of byVisit.values()) expect(ids.size).toBe(1);
      process.stdout.write(`messages on the topic: ${eventIds.length}, distinct events: ${new Set(eventIds).size}\n`);
    } finally {
      await probe.stop();
    }

    // And reporting, deduping by event id, shows each visit once in L.A. Care's feed.
    const feed = await eventually(
      async () =>
        (await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/LA_CARE/utilization?limit=1000')).body.items as Array<{
          visitId: string;
        }>,
      (items) => accepted.every((id) => items.some((r) => r.visitId === id)),
      { what: 'every visit in the feed', timeoutMs: 60_000 },
    );
    const mine = feed.filter((r) => accepted.includes(r.visitId));
    expect(mine).toHaveLength(visits);
    expect((await system.api('checkin').get('/health')).body.checks.kafka).toBe('up');
  });
});
