import { readFileSync } from 'node:fs';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import type { PartnerPlan, UtilizationPage, UtilizationRecord } from '@crc/contracts';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * The whole path: a kiosk checks visitors in over HTTP, the check-in service publishes to Kafka,
 * reporting attributes each visit against the rosters the plans uploaded, and each plan reads
 * its own feed.
 */
describe('check-in to attributed utilization feed', () => {
  let system: TestSystem;
  const center = 'crc-el-monte';

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting']);
    for (const [plan, file] of [
      ['LA_CARE', 'la-care.ndjson'],
      ['BLUE_SHIELD_PROMISE', 'blue-shield-promise.ndjson'],
    ] as const) {
      const upload = await system
        .api('reporting', devTokens.partner(plan))
        .put(`/v1/partners/${plan}/eligibility`, readFileSync(seedFile('rosters', file), 'utf8'), { 'content-type': 'application/x-ndjson' });
      expect(upload.status).toBe(200);
      expect(upload.body).toMatchObject({ rejected: 0 });
    }
  });

  afterAll(async () => {
    await system?.close();
  });

  const feedOf = async (plan: PartnerPlan): Promise<UtilizationRecord[]> => {
    const items: UtilizationRecord[] = [];
    let since: string | undefined;
    for (;;) {
      const page = await system
        .api('reporting', devTokens.partner(plan))
        .get<UtilizationPage>(`/v1/partners/${plan}/utilization?limit=2${since ? `&since=${since}` : ''}`);
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      since = page.body.nextCursor;
      if (!page.body.hasMore) return items;
    }
  };

  const checkIn = async (body: ReturnType<typeof aCheckIn>) => {
    const response = await system.api('checkin', devTokens.kiosk(center)).post(`/v1/centers/${center}/check-ins`, body);
    expect(response.status).toBe(201);
    return response.body.visitId as string;
  };

  it('attributes each visit to the right plan and shows it in that plan only', async () => {
    const started = Date.now();
    const laCareMember = await checkIn(aCheckIn({ memberId: 'lac100001 ' }));
    const blueShieldMember = await checkIn(aCheckIn({ memberId: 'BSP200002', purposes: ['HEALTH_SCREENING'] }));
    const delegatedMember = await checkIn(aCheckIn({ memberId: '90000006F' }));
    const selfReported = await checkIn(aCheckIn({ memberId: 'NOTONROSTER1', selfReportedPlan: 'LA_CARE' }));
    const community = await checkIn(aCheckIn({ purposes: ['TELEHEALTH_WIFI'] }));

    const laCare = await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.length >= 2,
      { what: 'two L.A. Care records' },
    );
    const blueShield = await eventually(
      () => feedOf('BLUE_SHIELD_PROMISE'),
      (items) => items.length >= 2,
      {
        what: 'two Blue Shield Promise records',
      },
    );
    process.stdout.write(`five check-ins to both feeds complete: ${Date.now() - started} ms\n`);

    expect(laCare.map((r) => r.visitId).sort()).toEqual([laCareMember, selfReported].sort());
    expect(laCare.find((r) => r.visitId === laCareMember)).toMatchObject({
      plan: 'LA_CARE',
      basis: 'ELIGIBILITY',
      productLine: 'MEDI_CAL',
      ruleVersion: 2,
      centerId: center,
      memberId: 'LAC100001',
      status: 'ACTIVE',
      revision: 1,
    });
    expect(laCare.find((r) => r.visitId === selfReported)).toMatchObject({ plan: 'LA_CARE', basis: 'SELF_REPORTED', ruleVersion: 2 });

    expect(blueShield.map((r) => r.visitId).sort()).toEqual([blueShieldMember, delegatedMember].sort());
    expect(blueShield.find((r) => r.visitId === blueShieldMember)).toMatchObject({
      basis: 'ELIGIBILITY',
      productLine: 'MEDICARE',
      purposes: ['HEALTH_SCREENING'],
    });
    // Delegated by L.A. Care to Blue Shield Promise: attributed to Blue Shield Promise.
    expect(blueShield.find((r) => r.visitId === delegatedMember)).toMatchObject({ plan: 'BLUE_SHIELD_PROMISE', basis: 'ELIGIBILITY' });

    // The community visitor is in neither feed.
    expect([...laCare, ...blueShield].some((r) => r.visitId === community)).toBe(false);
    for (const record of [...laCare, ...blueShield]) expect(record.serviceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('shows a check-in in the feed about a second after the kiosk got its 201', async () => {
    const visitId = await checkIn(aCheckIn({ memberId: 'LAC100004' }));
    const created = Date.now();
    await eventually(
      () => feedOf('LA_CARE'),
      (items) => items.some((r) => r.visitId === visitId),
      { what: 'the new visit in the feed', intervalMs: 20 },
    );
    // Reported, not asserted: timing belongs to the benchmark, not to a test on a busy machine.
    process.stdout.write(`check-in to L.A. Care feed: ${Date.now() - created} ms\n`);
  });

  it('refuses a partner reading the other plan, and anyone without a token', async () => {
    const other = await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/BLUE_SHIELD_PROMISE/utilization');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('AUTH.WRONG_PLAN');

    const anonymous = await system.api('reporting').get('/v1/partners/LA_CARE/utilization');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AUTH.UNAUTHENTICATED');

    const kiosk = await system.api('reporting', devTokens.kiosk(center)).get('/v1/partners/LA_CARE/utilization');
    expect(kiosk.status).toBe(403);
    expect(kiosk.body.error.code).toBe('AUTH.ROLE_NOT_ALLOWED');
  });

  it('refuses a kiosk checking in at another center', async () => {
    const response = await system.api('checkin', devTokens.kiosk('crc-pomona')).post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'LAC100001' }));
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('AUTH.WRONG_CENTER');
  });

  it('answers /health on both services with the store and Kafka up (and reporting with its consumer caught up)', async () => {
    const expected = { checkin: { store: 'up', kafka: 'up' }, reporting: { store: 'up', kafka: 'up', consumer: 'up' } };
    for (const service of ['checkin', 'reporting'] as const) {
      const health = await system.api(service).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok', checks: expected[service] });
    }
  });
});
