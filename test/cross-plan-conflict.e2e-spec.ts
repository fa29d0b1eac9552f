import type { PartnerPlan } from '@crc/contracts';
import { createHash } from 'node:crypto';
import { aCheckIn, devTokens, eventually } from '@crc/testing';
import { StoreAccess } from './support/store-access';
import { feedRecords, uploadRosterRows } from './support/partner-calls';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * A plan speaks only for its own members (attribution rules, version 2): one plan's roster never
 * takes a visit the other plan holds on its roster; such a visit waits in the operations review
 * queue, and its resolution is a correction in the feeds. The upload's answer tells the plan
 * nothing about who visited, and every upload is in the operations audit.
 */
describe('two plans claiming one member', () => {
  const center = 'crc-lynwood';
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
  });

  afterAll(async () => {
    await system?.close();
  });

  const ops = () => system.api('reporting', devTokens.ops());
  const feedOf = (plan: PartnerPlan) => feedRecords(system, plan);
  const upload = (plan: PartnerPlan, rows: object[], mode: 'MERGE' | 'REPLACE' = 'MERGE') => uploadRosterRows(system, plan, rows, mode);
  const audit = async () => (await ops().get('/v1/operations/roster-uploads?limit=1000')).body.items as Array<Record<string, any>>;
  const reattributed = (uploadId: string) =>
    eventually(audit, (items) => items.some((i) => i.uploadId === uploadId && i.status === 'DONE'), { what: `upload ${uploadId} to be re-attributed` });
  const queue = async (status = 'WAITING') =>
    (await ops().get(`/v1/operations/attribution-conflicts?status=${status}`)).body.items as Array<Record<string, any>>;
  const checkIn = async (memberId: string) => {
    const response = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId }));
    expect(response.status).toBe(201);
    return response.body.visitId as string;
  };

  let taken: string;
  let undecided: string;
  let probed: string;

  it('leaves both feeds untouched when Blue Shield Promise uploads a member L.A. Care holds, and queues the visit for operations', async () => {
    const laCare = await upload('LA_CARE', [
      { memberId: 'TAKE0001', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' },
      { memberId: 'TAKE0002', productLine: 'LA_CARE_COVERED', coverageStart: '2020-01-01' },
    ]);
    expect(laCare.status).toBe(200);
    // Both rosters list TAKE0002 before it visits: never attributed on eligibility.
    const bothFirst = await upload('BLUE_SHIELD_PROMISE', [{ memberId: 'TAKE0002', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' }]);
    await reattributed(laCare.body.uploadId);
    await reattributed(bothFirst.body.uploadId);

    taken = await checkIn('TAKE0001');
    undecided = await checkIn('TAKE0002');
    const before = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === taken),
      { what: "the visit in L.A. Care's feed" },
    );
    expect(before.filter((r) => r.visitId === taken).map((r) => [r.revision, r.status, r.basis, r.productLine])).toEqual([
      [1, 'ACTIVE', 'ELIGIBILITY', 'MEDI_CAL'],
    ]);

    // The takeover attempt of version 1: one MERGE line naming L.A. Care's member, with a later coverage start.
    const attempt = await upload('BLUE_SHIELD_PROMISE', [{ memberId: 'TAKE0001', productLine: 'MEDICARE', coverageStart: '2026-01-01' }]);
    expect(attempt.status).toBe(200);
    await reattributed(attempt.body.uploadId);

    const waiting = await eventually(queue, (items) => [taken, undecided].every((id) => items.some((i) => i.visitId === id)), {
      what: 'both visits in the review queue',
    });
    expect(waiting.find((i) => i.visitId === taken)).toMatchObject({
      centerId: center,
      status: 'WAITING',
      currentPlan: 'LA_CARE',
      plans: [
        { plan: 'LA_CARE', productLine: 'MEDI_CAL' },
        { plan: 'BLUE_SHIELD_PROMISE', productLine: 'MEDICARE' },
      ],
    });
    // Not yet attributed on eligibility: no plan while it waits.
    expect(waiting.find((i) => i.visitId === undecided)).toMatchObject({ status: 'WAITING', currentPlan: 'COMMUNITY' });
    // Operations see visits, not people.
    expect(JSON.stringify(waiting)).not.toContain('TAKE000');

    const laCareFeed = await feedOf('LA_CARE');
    expect(laCareFeed.filter((r) => r.visitId === taken).map((r) => r.recordId)).toEqual([`${taken}:1`]);
    expect(laCareFeed.some((r) => r.visitId === undecided)).toBe(false);
    const blueShieldFeed = await feedOf('BLUE_SHIELD_PROMISE');
    expect(blueShieldFeed.some((r) => r.visitId === taken || r.visitId === undecided)).toBe(false);
  });

  it('refuses resolutions it cannot carry out, with stable codes', async () => {
    const resolve = (visitId: string, body: object) => ops().post(`/v1/operations/attribution-conflicts/${visitId}/resolution`, body);
    const unknown = await resolve('00000000-0000-4000-8000-000000000000', { plan: 'LA_CARE', reason: 'checked with both plans' });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'CONFLICT.NOT_FOUND']);
    const notAPlan = await resolve(taken, { plan: 'COMMUNITY', reason: 'checked with both plans' });
    expect([notAPlan.status, notAPlan.body.error.code]).toEqual([400, 'CONFLICT.INVALID_PLAN']);
    const noReason = await resolve(taken, { plan: 'LA_CARE' });
    expect([noReason.status, noReason.body.error.code]).toEqual([400, 'REQUEST.VALIDATION_FAILED']);
    const badStatus = await ops().get('/v1/operations/attribution-conflicts?status=LOST');
    expect([badStatus.status, badStatus.body.error.code]).toEqual([400, 'CONFLICT.INVALID_STATUS']);
    const partner = await system
      .api('reporting', devTokens.partner('BLUE_SHIELD_PROMISE'))
      .post(`/v1/operations/attribution-conflicts/${taken}/resolution`, { plan: 'BLUE_SHIELD_PROMISE', reason: 'mine' });
    expect(partner.status).toBe(403);
    // Nothing moved.
    expect((await queue()).find((i) => i.visitId === taken)).toMatchObject({ status: 'WAITING', currentPlan: 'LA_CARE' });
  });

  it("resolves by operations' choice: a correction in both feeds, and out of the waiting queue", async () => {
    const resolved = await ops().post(`/v1/operations/attribution-conflicts/${taken}/resolution`, {
      plan: 'BLUE_SHIELD_PROMISE',
      reason: 'Medicare primary per both plans, ticket 4411',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      visitId: taken,
      status: 'RESOLVED',
      currentPlan: 'BLUE_SHIELD_PROMISE',
      resolution: { plan: 'BLUE_SHIELD_PROMISE', reason: 'Medicare primary per both plans, ticket 4411', resolvedBy: 'ops:0' },
    });

    const laCare = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === taken && r.revision === 2),
      { what: "the void in L.A. Care's feed" },
    );
    const voided = laCare.find((r) => r.visitId === taken && r.revision === 2)!;
    expect(voided).toMatchObject({ status: 'VOIDED', supersedes: `${taken}:1` });
    expect(voided.memberId).toBeUndefined();
    const blueShield = await eventually(
      () => feedOf('BLUE_SHIELD_PROMISE'),
      (items) => items.some((r) => r.visitId === taken),
      { what: "the visit in Blue Shield Promise's feed" },
    );
    expect(blueShield.find((r) => r.visitId === taken)).toMatchObject({
      revision: 2,
      status: 'ACTIVE',
      basis: 'ELIGIBILITY',
      productLine: 'MEDICARE',
      flags: ['DUAL_COVERAGE_RESOLVED'],
      ruleVersion: 2,
      memberId: 'TAKE0001',
    });

    // The visit that had no plan goes to the plan operations choose: its first record there.
    expect(
      (await ops().post(`/v1/operations/attribution-conflicts/${undecided}/resolution`, { plan: 'LA_CARE', reason: 'L.A. Care Covered confirmed' })).status,
    ).toBe(200);
    const laCareAfter = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === undecided),
      { what: 'the undecided visit in L.A. Care' },
    );
    expect(laCareAfter.find((r) => r.visitId === undecided)).toMatchObject({
      status: 'ACTIVE',
      productLine: 'LA_CARE_COVERED',
      flags: ['DUAL_COVERAGE_RESOLVED'],
    });
    expect(laCareAfter.find((r) => r.visitId === undecided)!.supersedes).toBeUndefined();

    expect((await queue()).some((i) => i.visitId === taken || i.visitId === undecided)).toBe(false);
    expect((await queue('RESOLVED')).map((i) => i.visitId).sort()).toEqual([taken, undecided].sort());
  });

  it('gives the same answer, byte for byte, for a member id that visited and one that did not', async () => {
    probed = await checkIn('PROBE0001');
    const own = await upload('LA_CARE', [{ memberId: 'PROBE0001', productLine: 'MEDI_CAL', coverageStart: '2020-01-01' }]);
    await reattributed(own.body.uploadId);
    const probe = async (memberId: string, mode: 'MERGE' | 'REPLACE') => {
      const response = await upload('BLUE_SHIELD_PROMISE', [{ memberId, productLine: 'MEDICARE', coverageStart: '2026-01-01' }], mode);
      expect(response.body.uploadId).toMatch(/^[0-9a-f-]{36}$/);
      return { status: response.status, body: JSON.stringify(response.body).replace(response.body.uploadId, '<uploadId>') };
    };
    // One line each, MERGE.
    const visitedMerge = await probe('PROBE0001', 'MERGE');
    const neverMerge = await probe('PROBE0002', 'MERGE');
    expect(visitedMerge).toEqual(neverMerge);
    expect(visitedMerge.status).toBe(200);
    expect(visitedMerge.body).not.toMatch(/visit|reattribution/i);
    // REPLACE: after a first replace, each replaces one span by another, so the two start alike.
    await probe('PROBE0003', 'REPLACE');
    const visitedReplace = await probe('PROBE0001', 'REPLACE');
    const neverReplace = await probe('PROBE0002', 'REPLACE');
    expect(visitedReplace).toEqual(neverReplace);
    expect(JSON.parse(visitedReplace.body)).toMatchObject({ accepted: 1, removed: 1 });
  });

  it('a plan that withdraws its coverage gives up its visit: the conflict clears and the other plan has it again', async () => {
    // The replaces above left Blue Shield Promise's roster without TAKE0001, whose visit operations had given it.
    const cleared = await eventually(
      () => queue('CLEARED'),
      (items) => items.some((i) => i.visitId === taken),
      { what: 'the conflict to clear' },
    );
    expect(cleared.find((i) => i.visitId === taken)).toMatchObject({ currentPlan: 'LA_CARE' });
    const laCare = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === taken && r.revision === 3),
      { what: 'L.A. Care record again' },
    );
    expect(laCare.find((r) => r.visitId === taken && r.revision === 3)).toMatchObject({ status: 'ACTIVE', basis: 'ELIGIBILITY', flags: [] });
    const blueShield = await feedOf('BLUE_SHIELD_PROMISE');
    expect(blueShield.find((r) => r.visitId === taken && r.revision === 3)).toMatchObject({ status: 'VOIDED', supersedes: `${taken}:2` });
    const again = await ops().post(`/v1/operations/attribution-conflicts/${taken}/resolution`, { plan: 'BLUE_SHIELD_PROMISE', reason: 'too late' });
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT.ALREADY_CLEARED']);
  });

  it('records every upload for operations: who, when, plan, mode and line counts, refused ones too', async () => {
    const refused = await upload('LA_CARE', [{ memberId: 'BAD', productLine: 'NOT_A_LINE', coverageStart: 'yesterday' }]);
    expect(refused.status).toBe(422);
    const items = await audit();
    expect(items).toHaveLength(10);
    const blueShield = items.filter((i) => i.plan === 'BLUE_SHIELD_PROMISE');
    expect(blueShield.every((i) => /^partner:BLUE_SHIELD_PROMISE:\d+$/.test(i.uploadedBy))).toBe(true);
    expect(blueShield.filter((i) => i.mode === 'REPLACE')).toHaveLength(3);
    expect(items.find((i) => i.outcome === 'ROSTER.NO_VALID_ROWS')).toMatchObject({
      plan: 'LA_CARE',
      mode: 'MERGE',
      status: 'REFUSED',
      accepted: 0,
      rejected: 1,
      uploadedBy: expect.stringMatching(/^partner:LA_CARE:\d+$/),
    });
    const first = items.find((i) => i.plan === 'LA_CARE' && i.accepted === 2)!;
    expect(first).toMatchObject({ mode: 'MERGE', status: 'DONE', outcome: 'ACCEPTED', rejected: 0, removed: 0 });
    expect(Date.parse(first.receivedAt)).toBeLessThanOrEqual(Date.parse(first.finishedAt));
    // Newest first, and no identifiers.
    expect(items.map((i) => i.receivedAt)).toEqual([...items.map((i) => i.receivedAt)].sort().reverse());
    expect(JSON.stringify(items)).not.toMatch(/TAKE000|PROBE000|touched/);
    // Partners do not read the audit.
    expect((await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/operations/roster-uploads')).status).toBe(403);
  });

  it('at start, attributes again the visits of rule version 1, without a correction where the feed would say the same', async () => {
    const store = await StoreAccess.open(system, 'reporting');
    try {
      await eventually(
        () => feedOf('LA_CARE'),
        (items) => items.some((r) => r.visitId === probed && r.status === 'ACTIVE'),
        { what: 'the probed visit' },
      );
      await store.whenPublished('visit_attributions', probed);
      const record = (await store.collection('visit_records').findOne({ _id: probed }))!;
      const ledger = (await store.collection('visit_attributions').findOne({ _id: probed }))!;
      expect(record.attribution).toMatchObject({ plan: 'LA_CARE', rule: 1, ruleVersion: 2 });
      // What version 1 stored: its attribution, and the hash it compared (which covered the rule version).
      const a = ledger.attribution;
      const legacyHash = createHash('sha256')
        .update(
          JSON.stringify([
            a.plan,
            a.basis,
            a.rule,
            1,
            a.productLine ?? '',
            a.rosterPlan ?? '',
            a.planPartner ?? '',
            a.flags.join('+'),
            record.centerId,
            record.serviceDate,
            record.checkedInAt.toISOString(),
            record.checkedOutAt?.toISOString() ?? '',
            [...record.purposes].sort().join('+'),
            record.memberId ?? '',
          ]),
        )
        .digest('base64url');
      await store.collection('visit_attributions').updateOne({ _id: probed }, { $set: { 'attribution.ruleVersion': 1, 'published.contentHash': legacyHash } });
      await store.collection('visit_records').updateOne({ _id: probed }, { $set: { 'attribution.ruleVersion': 1 } });
      const feedBefore = [...(await feedOf('LA_CARE')), ...(await feedOf('BLUE_SHIELD_PROMISE'))].length;

      await system.restart('reporting');
      await eventually(
        () => store.collection('visit_records').findOne({ _id: probed }),
        (doc) => doc?.attribution?.ruleVersion === 2,
        { what: 'the visit attributed under version 2' },
      );
      expect((await store.collection('visit_attributions').findOne({ _id: probed }))!.published.revision).toBe(ledger.published.revision);
      expect([...(await feedOf('LA_CARE')), ...(await feedOf('BLUE_SHIELD_PROMISE'))]).toHaveLength(feedBefore);
    } finally {
      await store.close();
    }
  });
});
