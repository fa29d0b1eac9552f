import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { aCheckIn, devTokens, eventually } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';

/** Keys expire by a sweep (FerretDB has no TTL index); an expired key still cannot double-count a visit. */
describe('idempotency key expiry', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin'], { IDEMPOTENCY_KEY_RETENTION_SECONDS: '1', IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: '1' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('keeps no key record for a check-in: the visit, unique by the key, is the record, and a late replay still finds it', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk('crc-compton'));
    const key = randomUUID();
    const body = aCheckIn({ memberId: 'LAC100009' });
    const first = await kiosk.post('/v1/centers/crc-compton/check-ins', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);

    const client = await MongoClient.connect(system.mongoUri);
    try {
      const keys = client.db(`${system.prefix}-checkin`).collection('idempotency_keys');
      expect(await keys.countDocuments({})).toBe(0);
      // Longer than the key retention and its sweep: nothing of the key is left but the visit.
      await new Promise((resolve) => setTimeout(resolve, 2500));
    } finally {
      await client.close();
    }

    const late = await kiosk.post('/v1/centers/crc-compton/check-ins', body, { 'idempotency-key': key });
    expect(late.status).toBe(201);
    expect(late.body.visitId).toBe(first.body.visitId);
    expect(late.headers.get('idempotent-replayed')).toBe('true');

    const reused = await kiosk.post('/v1/centers/crc-compton/check-ins', aCheckIn({ memberId: 'LAC100010' }), { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('sweeps expired key records (a check-out), and a late replay still finds the check-out done', async () => {
    const kiosk = system.api('checkin', devTokens.kiosk('crc-compton'));
    const visit = (await kiosk.post('/v1/centers/crc-compton/check-ins', aCheckIn({ memberId: 'LAC100011' }), { 'idempotency-key': randomUUID() })).body;
    const key = randomUUID();
    const checkOut = `/v1/centers/crc-compton/check-ins/${visit.visitId}/check-out`;
    const first = await kiosk.post(checkOut, {}, { 'idempotency-key': key });
    expect(first.status).toBe(200);

    const client = await MongoClient.connect(system.mongoUri);
    try {
      const keys = client.db(`${system.prefix}-checkin`).collection('idempotency_keys');
      expect(await keys.countDocuments({})).toBe(1);
      await eventually(
        () => keys.countDocuments({}),
        (n) => n === 0,
        { what: 'the sweep to remove the expired key', timeoutMs: 15_000, intervalMs: 200 },
      );
    } finally {
      await client.close();
    }

    const late = await kiosk.post(checkOut, {}, { 'idempotency-key': key });
    expect(late.status).toBe(200);
    expect(late.body.checkedOutAt).toBe(first.body.checkedOutAt);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
  });
});
