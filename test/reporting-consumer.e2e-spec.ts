import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createEvent, serviceDateOf, VisitCheckedInV1Event, VisitCheckedOutV1Event } from '@crc/contracts';
import type { PartnerPlan, UtilizationRecord } from '@crc/contracts';
import { devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

/**
 * Reporting as a consumer: events of a visit arrive in any order and more than once, with
 * malformed ones in between. The feeds must converge to what the rules say, computed here
 * independently from the seeded rosters, and the bad events must land in the dead-letter topic.
 */
describe('reporting consumer', () => {
  let system: TestSystem;
  let kafka: Kafka;

  beforeAll(async () => {
    system = await startTestSystem(['reporting']);
    for (const [plan, file] of [
      ['LA_CARE', 'la-care.ndjson'],
      ['BLUE_SHIELD_PROMISE', 'blue-shield-promise.ndjson'],
    ] as const) {
      await system
        .api('reporting', devTokens.partner(plan))
        .put(`/v1/partners/${plan}/eligibility`, readFileSync(seedFile('rosters', file), 'utf8'), { 'content-type': 'application/x-ndjson' });
    }
    kafka = new Kafka({ brokers: system.kafkaBrokers, clientId: 'test-producer', logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    await system?.close();
  });

  /** The expectation, written out by hand from deploy/local/seed/rosters (not by the rules' code). */
  const visitors: Array<{ memberId?: string; selfReportedPlan: 'LA_CARE' | 'BLUE_SHIELD_PROMISE' | 'NONE'; expect: PartnerPlan | 'COMMUNITY'; basis: string }> =
    [
      { memberId: 'LAC100001', selfReportedPlan: 'NONE', expect: 'LA_CARE', basis: 'ELIGIBILITY' },
      { memberId: '90000006F', selfReportedPlan: 'LA_CARE', expect: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY' },
      { memberId: 'LAC100007', selfReportedPlan: 'NONE', expect: 'LA_CARE', basis: 'ELIGIBILITY' },
      // In both rosters without agreeing, never attributed on eligibility before: no plan until operations decide (rule 2).
      { memberId: '90000009J', selfReportedPlan: 'BLUE_SHIELD_PROMISE', expect: 'COMMUNITY', basis: 'NONE' },
      { memberId: 'BSP200003', selfReportedPlan: 'NONE', expect: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY' },
      { memberId: 'LAC100008', selfReportedPlan: 'LA_CARE', expect: 'LA_CARE', basis: 'SELF_REPORTED' },
      { memberId: 'SOMEONE01', selfReportedPlan: 'BLUE_SHIELD_PROMISE', expect: 'BLUE_SHIELD_PROMISE', basis: 'SELF_REPORTED' },
      { memberId: 'SOMEONE02', selfReportedPlan: 'NONE', expect: 'COMMUNITY', basis: 'NONE' },
      { selfReportedPlan: 'LA_CARE', expect: 'COMMUNITY', basis: 'NONE' },
    ];

  it('converges to the expected feeds from shuffled, duplicated events, and parks bad ones in the dead-letter topic', async () => {
    const topic = (t: string) => `${system.prefix}.${t}`;
    const now = Date.now();
    const visits = visitors.flatMap((visitor, i) =>
      Array.from({ length: 3 }, (_, copy) => {
        const visitId = randomUUID();
        const checkedInAt = new Date(now - (60 - i - copy) * 60_000);
        const checkedOutAt = new Date(checkedInAt.getTime() + 45 * 60_000 > now ? now : checkedInAt.getTime() + 45 * 60_000);
        const base = { visitId, centerId: 'crc-norwalk', serviceDate: serviceDateOf(checkedInAt), recordedAt: new Date(now).toISOString() };
        const checkedIn = createEvent(
          VisitCheckedInV1Event,
          {
            ...base,
            occurredAt: checkedInAt.toISOString(),
            visitor: {
              selfReportedPlan: visitor.selfReportedPlan,
              ...(visitor.memberId ? { memberId: visitor.memberId, memberIdType: 'PLAN_MEMBER_ID' as const } : {}),
            },
            purposes: ['EXERCISE_CLASS'],
          },
          { source: '/crc/checkin' },
        );
        const checkedOut = createEvent(
          VisitCheckedOutV1Event,
          { ...base, checkedInAt: checkedInAt.toISOString(), occurredAt: checkedOutAt.toISOString() },
          { source: '/crc/checkin' },
        );
        return { visitor, visitId, checkedOutAt: checkedOutAt.toISOString(), events: [checkedIn, checkedOut] };
      }),
    );
    const messages: Array<{ topic: string; key: string; value: string }> = visits.flatMap((v) =>
      v.events.map((e) => ({ topic: topic(e.type), key: v.visitId, value: JSON.stringify(e) })),
    );
    // Every event twice, all shuffled (a deterministic shuffle: reproducible failures).
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const shuffled = [...messages, ...messages].sort(() => random() - 0.5);
    const poison = [
      { topic: topic(VisitCheckedInV1Event.topic), key: 'poison-1', value: '{not json' },
      {
        topic: topic(VisitCheckedInV1Event.topic),
        key: 'poison-2',
        value: JSON.stringify({ ...visits[0].events[0], type: 'crc.checkin.visit-checked-in.v2' }),
      },
      { topic: topic(VisitCheckedInV1Event.topic), key: 'poison-3', value: JSON.stringify({ ...visits[1].events[0], data: { visitId: 'nope' } }) },
    ];
    shuffled.splice(Math.floor(shuffled.length / 2), 0, ...poison);

    const producer = kafka.producer();
    await producer.connect();
    for (const message of shuffled) await producer.send({ topic: message.topic, messages: [{ key: message.key, value: message.value }] });
    await producer.disconnect();

    const feed = async (plan: PartnerPlan): Promise<UtilizationRecord[]> =>
      (await system.api('reporting', devTokens.partner(plan)).get(`/v1/partners/${plan}/utilization?limit=1000`)).body.items;
    /** The latest record of each visit in a feed. */
    const latest = (records: UtilizationRecord[]) => {
      const byVisit = new Map<string, UtilizationRecord>();
      for (const r of records) if ((byVisit.get(r.visitId)?.revision ?? 0) < r.revision) byVisit.set(r.visitId, r);
      return byVisit;
    };
    const expectedIn = (plan: PartnerPlan) => visits.filter((v) => v.visitor.expect === plan);

    for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const) {
      const records = await eventually(
        () => feed(plan),
        (items) => {
          const current = latest(items);
          return expectedIn(plan).every((v) => current.get(v.visitId)?.checkedOutAt === v.checkedOutAt);
        },
        { what: `${plan}'s feed to converge`, timeoutMs: 60_000 },
      );
      const current = latest(records);
      expect([...current.keys()].sort()).toEqual(
        expectedIn(plan)
          .map((v) => v.visitId)
          .sort(),
      );
      for (const v of expectedIn(plan)) {
        expect(current.get(v.visitId)).toMatchObject({ plan, basis: v.visitor.basis, status: 'ACTIVE', checkedOutAt: v.checkedOutAt });
      }
      // Redelivered events changed nothing: no revision has two records.
      expect(new Set(records.map((r) => r.recordId)).size).toBe(records.length);
      expect(records.every((r) => r.revision <= 2)).toBe(true);
    }

    const deadLetters = await TopicProbe.start(system.kafkaBrokers, [topic('crc.reporting.dead-letter.v1')]);
    try {
      const parked = await deadLetters.waitFor((all) => all.length >= 3, 'three dead letters');
      const reasons = Object.fromEntries(parked.map((m) => [m.key, m.headers['dlq-reason']]));
      expect(Object.keys(reasons).sort()).toEqual(['poison-1', 'poison-2', 'poison-3']);
      expect(reasons['poison-1']).toBe('value is not valid JSON');
      expect(reasons['poison-2']).toContain('expected crc.checkin.visit-checked-in.v1');
      expect(reasons['poison-3']).toContain('visitId');
      expect(parked.every((m) => m.headers['dlq-original-topic'] === VisitCheckedInV1Event.topic)).toBe(true);
    } finally {
      await deadLetters.stop();
    }
  });
});
