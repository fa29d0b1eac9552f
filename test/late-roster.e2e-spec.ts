import { randomUUID } from 'node:crypto';
import { UtilizationRecordedV1Events } from '@crc/contracts';
import type { PartnerPlan } from '@crc/contracts';
import { aCheckIn, devTokens, eventually } from '@crc/testing';
import { feedRecords, uploadRosterRows } from './support/partner-calls';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

/**
 * Rosters arrive late and change retroactively. Visits inside the look-back window follow them:
 * each change is a new revision that the feed shows as a correction of the record it supersedes,
 * never a silent overwrite; visits outside the window keep their attribution.
 */
describe('a roster that arrives after the visits', () => {
  const center = 'crc-wilmington';
  let system: TestSystem;
  let probe: TopicProbe;

  beforeAll(async () => {
    // A short look-back, so that a visit three days old falls outside it.
    system = await startTestSystem(['checkin', 'reporting'], { ATTRIBUTION_LOOKBACK_DAYS: '2' });
    probe = await TopicProbe.start(
      system.kafkaBrokers,
      Object.values(UtilizationRecordedV1Events).map((d) => `${system.prefix}.${d.topic}`),
    );
  });

  afterAll(async () => {
    await probe?.stop();
    await system?.close();
  });

  const feedOf = (plan: PartnerPlan) => feedRecords(system, plan);
  const upload = (plan: PartnerPlan, rows: object[], mode: 'MERGE' | 'REPLACE' = 'MERGE') => uploadRosterRows(system, plan, rows, mode);
  /** Visits are attributed again after the answer; operations' audit list says when that is done. */
  const reattributed = (uploadId: string) =>
    eventually(
      async () =>
        (await system.api('reporting', devTokens.ops()).get('/v1/operations/roster-uploads?limit=1000')).body.items as Array<{
          uploadId: string;
          status: string;
        }>,
      (items) => items.some((i) => i.uploadId === uploadId && i.status === 'DONE'),
      { what: `upload ${uploadId} to be re-attributed` },
    );

  it('corrects earlier records when the roster arrives, and voids them in the plan that loses the visit', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk(center));
    const checkIn = async (body: object) => (await kiosk.post(`/v1/centers/${center}/check-ins`, body)).body.visitId as string;
    // Before any roster: a visitor who names L.A. Care is self-reported; one who names no plan is community.
    const named = await checkIn(aCheckIn({ memberId: 'LATE0001', selfReportedPlan: 'LA_CARE' }));
    const unnamed = await checkIn(aCheckIn({ memberId: 'LATE0002' }));
    const moving = await checkIn(aCheckIn({ memberId: 'LATE0003', selfReportedPlan: 'LA_CARE' }));
    const old = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins:batch`, {
      items: [
        {
          type: 'CHECK_IN',
          idempotencyKey: randomUUID(),
          occurredAt: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
          visitor: { memberId: 'LATE0004', selfReportedPlan: 'LA_CARE' },
          purposes: ['OTHER'],
        },
      ],
    });
    const outside = old.body.results[0].visitId as string;

    await eventually(
      () => feedOf('LA_CARE'),
      (items) => [named, moving, outside].every((id) => items.some((r) => r.visitId === id)),
      {
        what: 'the self-reported records',
      },
    );
    const before = await feedOf('LA_CARE');
    expect(before.find((r) => r.visitId === named)).toMatchObject({ revision: 1, basis: 'SELF_REPORTED', status: 'ACTIVE' });
    expect(before.some((r) => r.visitId === unnamed)).toBe(false);

    const since = new Date().toISOString();
    const laCare = await upload('LA_CARE', [
      { memberId: 'LATE0001', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' },
      { memberId: 'LATE0002', productLine: 'LA_CARE_COVERED', coverageStart: '2020-01-01' },
      { memberId: 'LATE0004', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' },
    ]);
    expect(laCare.status).toBe(200);
    // The answer is about the upload's lines, nothing about visits.
    expect(laCare.body).toEqual({ plan: 'LA_CARE', mode: 'MERGE', accepted: 3, rejected: 0, rejectedRows: [], removed: 0, uploadId: expect.any(String) });
    // Self-reported L.A. Care, never on L.A. Care's roster: an unverified claim, which Blue Shield Promise's roster outranks (rule 1).
    const blueShield = await upload('BLUE_SHIELD_PROMISE', [{ memberId: 'LATE0003', productLine: 'MEDICARE', coverageStart: '2020-01-01' }]);
    expect(blueShield.status).toBe(200);
    await reattributed(laCare.body.uploadId);
    await reattributed(blueShield.body.uploadId);

    const after = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.filter((r) => r.publishedAt >= since).length >= 3,
      {
        what: 'the corrections in the L.A. Care feed',
      },
    );
    // Self-reported, now on the roster: a correction superseding the first record.
    expect(after.filter((r) => r.visitId === named).map((r) => [r.revision, r.basis, r.supersedes ?? null])).toEqual([
      [1, 'SELF_REPORTED', null],
      [2, 'ELIGIBILITY', `${named}:1`],
    ]);
    // Community until now: the plan's first record of it.
    expect(after.filter((r) => r.visitId === unnamed).map((r) => [r.revision, r.basis, r.productLine, r.status])).toEqual([
      [2, 'ELIGIBILITY', 'LA_CARE_COVERED', 'ACTIVE'],
    ]);
    // Moved to Blue Shield Promise: L.A. Care's record is voided, without saying where it went or who it was.
    const voided = after.filter((r) => r.visitId === moving);
    expect(voided.map((r) => [r.revision, r.status, r.supersedes ?? null])).toEqual([
      [1, 'ACTIVE', null],
      [2, 'VOIDED', `${moving}:1`],
    ]);
    expect(voided[1].memberId).toBeUndefined();
    // Outside the window: unchanged.
    expect(after.filter((r) => r.visitId === outside).map((r) => r.revision)).toEqual([1]);

    const bsp = await eventually(
      () => feedOf('BLUE_SHIELD_PROMISE'),
      (items) => items.some((r) => r.visitId === moving),
      { what: 'the moved visit' },
    );
    expect(bsp.find((r) => r.visitId === moving)).toMatchObject({ revision: 2, status: 'ACTIVE', basis: 'ELIGIBILITY', productLine: 'MEDICARE' });

    // Uploading the same roster again changes nothing.
    const entriesBefore = (await feedOf('LA_CARE')).length;
    const again = await upload('LA_CARE', [{ memberId: 'LATE0001', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' }]);
    await reattributed(again.body.uploadId);
    expect(await feedOf('LA_CARE')).toHaveLength(entriesBefore);

    // A replace that drops LATE0001 takes the visit back to what the visitor said.
    const replaced = await upload(
      'LA_CARE',
      [
        { memberId: 'LATE0002', productLine: 'LA_CARE_COVERED', coverageStart: '2020-01-01' },
        { memberId: 'LATE0004', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' },
      ],
      'REPLACE',
    );
    expect(replaced.body).toMatchObject({ removed: 1 });
    expect(replaced.body.reattribution).toBeUndefined();
    const third = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === named && r.revision === 3),
      { what: 'revision 3' },
    );
    expect(third.find((r) => r.visitId === named && r.revision === 3)).toMatchObject({ basis: 'SELF_REPORTED', supersedes: `${named}:2` });

    // Plans consuming Kafka get the same entries on their own topic.
    const laCareTopic = `${system.prefix}.${UtilizationRecordedV1Events.LA_CARE.topic}`;
    await probe.waitFor(
      (all) => all.filter((m) => m.topic === laCareTopic && m.envelope.data.visitId === named).length >= 3,
      'the corrections on the L.A. Care topic',
    );
    const onTopic = probe.messages.filter((m) => m.topic === laCareTopic && m.envelope.data.visitId === named).map((m) => m.envelope.data.recordId);
    expect(onTopic).toEqual([`${named}:1`, `${named}:2`, `${named}:3`]);
    expect(probe.messages.filter((m) => m.topic !== laCareTopic).every((m) => m.envelope.data.feedPlan === 'BLUE_SHIELD_PROMISE')).toBe(true);
  });
  it('takes a large roster again, every span updated (a monthly re-upload)', async () => {
    // More members than one write of the store takes at once: FerretDB 1.24 hangs on a bulk write
    // updating a hundred existing documents, so the spans go in smaller writes.
    const members = Array.from({ length: 300 }, (_, i) => ({
      memberId: `BULK${String(i).padStart(5, '0')}`,
      productLine: 'MEDI_CAL',
      coverageStart: '2024-01-01',
    }));
    const first = await upload('BLUE_SHIELD_PROMISE', members);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 300, rejected: 0 });
    // The same spans again, now ending: each one is an update of a stored span.
    const again = await upload(
      'BLUE_SHIELD_PROMISE',
      members.map((m) => ({ ...m, coverageEnd: '2026-12-31' })),
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 300, rejected: 0 });
  });
});
