import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { UtilizationRecord } from '@crc/contracts';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

/** Past the retention period a visit keeps its facts and its plan, and loses the visitor's identity. */
describe('identity retention', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'reporting'], { IDENTITY_RETENTION_DAYS: '2', IDENTITY_RETENTION_SWEEP_SECONDS: '1' });
    await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), { 'content-type': 'application/x-ndjson' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('erases member ids of visits older than the retention, keeping center, date, services and plan', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk('crc-palmdale'));
    const synced = await kiosk.post('/v1/centers/crc-palmdale/check-ins:batch', {
      items: [
        {
          type: 'CHECK_IN',
          idempotencyKey: randomUUID(),
          occurredAt: new Date(Date.now() - 4 * 24 * 3600_000).toISOString(),
          visitor: { memberId: 'LAC100001' },
          purposes: ['NUTRITION_CLASS'],
        },
      ],
    });
    const old = synced.body.results[0].visitId as string;
    const recent = (await kiosk.post('/v1/centers/crc-palmdale/check-ins', aCheckIn({ memberId: 'LAC100002' }))).body.visitId as string;

    const feed = await eventually(
      async () => (await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/LA_CARE/utilization')).body.items as UtilizationRecord[],
      (items) => items.some((r) => r.visitId === recent) && items.some((r) => r.visitId === old && r.memberId === undefined),
      { what: 'the old record without its member id', timeoutMs: 30_000 },
    );
    expect(feed.find((r) => r.visitId === old)).toMatchObject({
      plan: 'LA_CARE',
      basis: 'ELIGIBILITY',
      productLine: 'MEDI_CAL',
      purposes: ['NUTRITION_CLASS'],
      centerId: 'crc-palmdale',
    });
    expect(feed.find((r) => r.visitId === recent)).toMatchObject({ memberId: 'LAC100002' });

    // The check-in service forgets the identity too.
    const stored = await eventually(
      () => kiosk.get(`/v1/centers/crc-palmdale/check-ins/${old}`),
      (r) => r.body.memberIdGiven === false,
      { what: 'check-in to erase' },
    );
    expect(stored.body).toMatchObject({ purposes: ['NUTRITION_CLASS'], serviceDate: expect.any(String) });
    expect((await kiosk.get(`/v1/centers/crc-palmdale/check-ins/${recent}`)).body.memberIdGiven).toBe(true);
  });
});
