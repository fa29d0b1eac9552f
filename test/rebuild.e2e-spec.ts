import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { readFileSync } from 'node:fs';
import { REPORTING_SERVICE } from '../apps/reporting/src/reporting.app.module';
import { RebuildProgress, rebuildProjections } from '../apps/reporting/src/rebuild/rebuild-projections';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { deadLetterTopic, whileRetriable } from '@crc/platform';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

/** Dropping reporting's projection and replaying the topics gives back the same state. */
describe('rebuilding the reporting projections', () => {
  let system: TestSystem;
  let client: MongoClient;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
    client = await MongoClient.connect(system.mongoUri);
  });

  afterAll(async () => {
    await client?.close();
    await system?.close();
  });

  const db = () => client.db(`${system.prefix}-reporting`);

  /** Everything the projection says about each visit, without bookkeeping that may differ (times of writing). */
  async function snapshot() {
    const records = await db().collection('visit_records').find({}).sort({ _id: 1 }).toArray();
    return records.map(({ updatedAt: _u, appliedEventIds, attribution, ...rest }) => ({
      ...rest,
      appliedEventIds: [...(appliedEventIds as string[])].sort(),
      attribution: attribution ? { ...attribution, attributedAt: undefined } : undefined,
    }));
  }

  /** The dashboard's tallies and day summaries, without their write counters. */
  async function dashboard() {
    const strip = async (name: string) =>
      (await db().collection(name).find({}).sort({ _id: 1 }).toArray()).map(({ version: _v, completedAt: _c, ...rest }) => rest);
    return { tallies: await strip('dashboard_tallies'), summaries: await strip('dashboard_day_summaries') };
  }

  it('replays the topics with progress into the same visit records and dashboard, and tells the plans nothing new', async () => {
    await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), { 'content-type': 'application/x-ndjson' });
    const kiosk = system.api('checkin', devTokens.kiosk('crc-metro-la'));
    const ids: string[] = [];
    for (const body of [
      aCheckIn({ memberId: 'LAC100001' }),
      aCheckIn({ memberId: 'LAC100006', purposes: ['HEALTH_SCREENING', 'OTHER'] }),
      aCheckIn({ memberId: 'BSP200001', selfReportedPlan: 'LA_CARE' }),
      aCheckIn(),
      aCheckIn({ memberId: 'LAC100004' }),
    ]) {
      ids.push((await kiosk.post('/v1/centers/crc-metro-la/check-ins', body)).body.visitId);
    }
    for (const id of ids.slice(0, 3)) await kiosk.post(`/v1/centers/crc-metro-la/check-ins/${id}/check-out`, {});
    // A roster that arrives later moves one visit: the ledger has a revision 2 for it.
    await system
      .api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE'))
      .put('/v1/partners/BLUE_SHIELD_PROMISE/eligibility', readFileSync(seedFile('rosters', 'blue-shield-promise.ndjson'), 'utf8'), {
        'content-type': 'application/x-ndjson',
      });

    const live = await eventually(
      snapshot,
      (s) => s.length === 5 && s.filter((v) => (v as Record<string, unknown>).checkedOutAt).length === 3 && s.every((v) => v.attribution),
      { what: 'the live projection' },
    );
    // Settled: every revision's feed entries delivered.
    await eventually(
      () => db().collection('visit_attributions').countDocuments({ outboxPending: true }),
      (n) => n === 0,
      { what: 'the feed relay to drain' },
    );
    const feedSize = async () => db().collection('utilization_records').countDocuments({});
    const ledger = async () =>
      await db()
        .collection('visit_attributions')
        .find({}, { projection: { published: 1 } })
        .sort({ _id: 1 })
        .toArray();
    const feedBefore = await feedSize();
    const ledgerBefore = await ledger();
    const dashboardBefore = await dashboard();
    expect(dashboardBefore.summaries).toHaveLength(1);

    const app = await NestFactory.createApplicationContext(
      REPORTING_SERVICE.rootModule({ ...system.envOf('reporting'), REPORTING_CONSUMER_ENABLED: 'false', REATTRIBUTION_SWEEP_SECONDS: '0' }),
      {
        logger: false,
      },
    );
    const progress: RebuildProgress[] = [];
    try {
      const result = await rebuildProjections(app, (p) => progress.push(p));
      expect(result.removed).toBe(5);
      expect(result.events).toBe(8);
      expect(result.corrections).toBe(0);
    } finally {
      await app.close();
    }

    expect(progress[0]).toEqual({ done: 0, total: 8 });
    expect(progress[progress.length - 1]).toEqual({ done: 8, total: 8 });
    expect(await snapshot()).toEqual(live);
    // Written once at the end of the replay (held back meanwhile), the same as written as events came.
    expect(await dashboard()).toEqual({ ...dashboardBefore, tallies: dashboardBefore.tallies.filter((t) => String(t._id) !== 'backfill:v2') });
    expect(await feedSize()).toBe(feedBefore);
    expect(await ledger()).toEqual(ledgerBefore);
  });

  it('sets aside an event that fails its contract, also where reporting never ran (no dead-letter topic yet)', async () => {
    // A topic prefix and a database of their own: nothing of the running system's.
    const prefix = `${system.prefix}-fresh`;
    const env = { ...system.envOf('reporting'), KAFKA_TOPIC_PREFIX: prefix, MONGODB_DATABASE: `${system.prefix}-fresh-reporting` };
    const kafka = new Kafka({ clientId: 'rebuild-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await Promise.all([admin.connect(), producer.connect()]);
    try {
      const checkedIn = `${prefix}.${VisitCheckedInV1Event.topic}`;
      const deadLetters = `${prefix}.${deadLetterTopic('reporting')}`;
      await admin.createTopics({ topics: [{ topic: checkedIn, numPartitions: 1 }], waitForLeaders: true });
      expect(await admin.listTopics()).not.toContain(deadLetters);
      await whileRetriable(() =>
        producer.send({ topic: checkedIn, messages: [{ key: 'not-a-visit', value: JSON.stringify({ specversion: '1.0', data: {} }) }] }),
      );

      const app = await NestFactory.createApplicationContext(
        REPORTING_SERVICE.rootModule({ ...env, REPORTING_CONSUMER_ENABLED: 'false', REATTRIBUTION_SWEEP_SECONDS: '0' }),
        { logger: false },
      );
      try {
        expect(await rebuildProjections(app, () => undefined)).toMatchObject({ events: 1, removed: 0 });
      } finally {
        await app.close();
      }
      const offsets = await whileRetriable(() => admin.fetchTopicOffsets(deadLetters));
      expect(offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0)).toBe(1);
    } finally {
      await Promise.all([admin.disconnect(), producer.disconnect()]);
    }
  });
});
