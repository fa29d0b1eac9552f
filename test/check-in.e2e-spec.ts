import { randomUUID } from 'node:crypto';
import { serviceDateOf, VisitCheckedInV1Event, VisitCheckedOutV1Event } from '@crc/contracts';
import { aCheckIn, ApiClient, devTokens } from '@crc/testing';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

/**
 * The kiosk API when the network drops, a volunteer double-taps, or a kiosk comes back after an
 * outage with a queue: one visit and one event per action, whatever is retried.
 */
describe('check-in service', () => {
  const center = 'crc-el-monte';
  let system: TestSystem;
  let kiosk: ApiClient;
  let probe: TopicProbe;

  beforeAll(async () => {
    system = await startTestSystem(['checkin']);
    kiosk = system.api('checkin', devTokens.kiosk(center));
    probe = await TopicProbe.start(
      system.kafkaBrokers,
      [VisitCheckedInV1Event.topic, VisitCheckedOutV1Event.topic].map((t) => `${system.prefix}.${t}`),
    );
  });

  afterAll(async () => {
    await probe?.stop();
    await system?.close();
  });

  const checkedInEventsOf = (visitId: string) => probe.about(visitId).filter((m) => m.envelope.type === VisitCheckedInV1Event.topic);

  describe('double submission', () => {
    it('returns the original visit for a retried key and publishes one event', async () => {
      const key = randomUUID();
      const body = aCheckIn({ memberId: 'LAC100001', selfReportedPlan: 'LA_CARE' });
      const first = await kiosk.post(`/v1/centers/${center}/check-ins`, body, { 'idempotency-key': key });
      const second = await kiosk.post(`/v1/centers/${center}/check-ins`, body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('location')).toBe(`/v1/centers/${center}/check-ins/${first.body.visitId}`);

      await probe.waitFor(() => checkedInEventsOf(first.body.visitId).length >= 1, 'the check-in event');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(checkedInEventsOf(first.body.visitId)).toHaveLength(1);
    });

    it('gives one visit to five simultaneous taps with one key', async () => {
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'BSP200002' }), { 'idempotency-key': key })),
      );
      expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      const visitIds = new Set(responses.map((r) => r.body.visitId));
      expect(visitIds.size).toBe(1);
      const [visitId] = [...visitIds];
      await probe.waitFor(() => checkedInEventsOf(visitId).length >= 1, 'the check-in event');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(checkedInEventsOf(visitId)).toHaveLength(1);
    });

    it('refuses the same key for a different request', async () => {
      const key = randomUUID();
      expect((await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ purposes: ['OTHER'] }), { 'idempotency-key': key })).status).toBe(201);
      const reused = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ purposes: ['EXERCISE_CLASS'] }), { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
    });

    it('keeps keys per kiosk: another center may use the same key for its own visit', async () => {
      const key = randomUUID();
      const here = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn(), { 'idempotency-key': key });
      const there = await system.api('checkin', devTokens.kiosk('crc-pomona')).post('/v1/centers/crc-pomona/check-ins', aCheckIn(), { 'idempotency-key': key });
      expect(here.status).toBe(201);
      expect(there.status).toBe(201);
      expect(there.body.visitId).not.toBe(here.body.visitId);
    });

    it('refuses a malformed key with a clear error', async () => {
      const response = await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn(), { 'idempotency-key': 'short' });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('IDEMPOTENCY.INVALID_KEY');
    });
  });

  describe('check-out', () => {
    it('closes a visit once, publishes the check-out after the check-in, and refuses a second check-out', async () => {
      const visit = (await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'LAC100002' }))).body;
      const key = randomUUID();
      const out = await kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, {}, { 'idempotency-key': key });
      expect(out.status).toBe(200);
      expect(out.body).toMatchObject({ visitId: visit.visitId, status: 'CHECKED_OUT' });

      const retried = await kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, {}, { 'idempotency-key': key });
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(out.body);

      const again = await kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, {});
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('VISIT.ALREADY_CHECKED_OUT');

      const events = await probe.waitFor((all) => all.filter((m) => m.envelope.subject === visit.visitId).length >= 2, 'both events');
      const mine = events.filter((m) => m.envelope.subject === visit.visitId);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(probe.about(visit.visitId)).toHaveLength(2);
      const checkedIn = mine.find((m) => m.envelope.type === VisitCheckedInV1Event.topic)!;
      const checkedOut = mine.find((m) => m.envelope.type === VisitCheckedOutV1Event.topic)!;
      // Published in order (the relay waits for the first acknowledgement), keyed alike.
      expect(checkedIn.timestamp).toBeLessThanOrEqual(checkedOut.timestamp);
      expect(checkedOut.key).toBe(checkedIn.key);
      expect(checkedOut.envelope.data).toMatchObject({ visitId: visit.visitId, serviceDate: visit.serviceDate, checkedInAt: visit.checkedInAt });

      const read = await kiosk.get(`/v1/centers/${center}/check-ins/${visit.visitId}`);
      expect(read.body).toMatchObject({ status: 'CHECKED_OUT', checkedOutAt: out.body.checkedOutAt });
    });

    it('lets exactly one of many simultaneous check-outs through, with one event', async () => {
      const visit = (await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn())).body;
      const responses = await Promise.all(Array.from({ length: 10 }, () => kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, {})));
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(9);
      await probe.waitFor(() => probe.about(visit.visitId).length >= 2, 'the check-out event');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(probe.about(visit.visitId).filter((m) => m.envelope.type === VisitCheckedOutV1Event.topic)).toHaveLength(1);
    });

    it('never loses a check-out that lands while the relay is still publishing the check-in', async () => {
      const pairs = await Promise.all(
        Array.from({ length: 15 }, async () => {
          const visit = (await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn())).body;
          const out = await kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, {});
          expect(out.status).toBe(200);
          return visit.visitId as string;
        }),
      );
      await probe.waitFor(() => pairs.every((id) => probe.about(id).length >= 2), 'both events of every visit', 60_000);
      for (const visitId of pairs) {
        expect((await kiosk.get(`/v1/centers/${center}/check-ins/${visitId}`)).body.status).toBe('CHECKED_OUT');
        const events = probe.about(visitId);
        expect(events.map((m) => m.envelope.type).sort()).toEqual([VisitCheckedInV1Event.topic, VisitCheckedOutV1Event.topic]);
        // Published in order: the check-in is never stamped after its check-out.
        const stamp = (type: string) => events.find((m) => m.envelope.type === type)!.timestamp;
        expect(stamp(VisitCheckedInV1Event.topic)).toBeLessThanOrEqual(stamp(VisitCheckedOutV1Event.topic));
      }
    });

    it('is a clear error for an unknown visit, and for one at another center', async () => {
      const unknown = await kiosk.post(`/v1/centers/${center}/check-ins/${randomUUID()}/check-out`, {});
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('VISIT.NOT_FOUND');

      const pomona = system.api('checkin', devTokens.kiosk('crc-pomona'));
      const elsewhere = (await pomona.post('/v1/centers/crc-pomona/check-ins', aCheckIn())).body;
      const crossCenter = await kiosk.post(`/v1/centers/${center}/check-ins/${elsewhere.visitId}/check-out`, {});
      expect(crossCenter.status).toBe(404);
      const wrongToken = await kiosk.post(`/v1/centers/crc-pomona/check-ins/${elsewhere.visitId}/check-out`, {});
      expect(wrongToken.status).toBe(403);
      expect(wrongToken.body.error.code).toBe('AUTH.WRONG_CENTER');
    });

    it('refuses a check-out earlier than the check-in', async () => {
      const visit = (await kiosk.post(`/v1/centers/${center}/check-ins`, aCheckIn())).body;
      const before = new Date(new Date(visit.checkedInAt).getTime() - 60_000).toISOString();
      const response = await kiosk.post(`/v1/centers/${center}/check-ins/${visit.visitId}/check-out`, { occurredAt: before });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('VISIT.CHECK_OUT_BEFORE_CHECK_IN');
    });
  });

  describe('open visits', () => {
    it("lists today's open visits for the front desk, oldest first, without checked-out ones", async () => {
      const pomona = system.api('checkin', devTokens.kiosk('crc-pomona'));
      const a = (await pomona.post('/v1/centers/crc-pomona/check-ins', aCheckIn())).body;
      const b = (await pomona.post('/v1/centers/crc-pomona/check-ins', aCheckIn())).body;
      const c = (await pomona.post('/v1/centers/crc-pomona/check-ins', aCheckIn())).body;
      const out = await pomona.post(`/v1/centers/crc-pomona/check-ins/${b.visitId}/check-out`, {});
      expect(out.body).toMatchObject({ status: 'CHECKED_OUT' });
      const list = await system.api('checkin', devTokens.staff('crc-pomona')).get('/v1/centers/crc-pomona/check-ins');
      expect(list.status).toBe(200);
      const ids = list.body.items.map((v: { visitId: string }) => v.visitId);
      expect(ids).toEqual(expect.arrayContaining([a.visitId, c.visitId]));
      expect(ids).not.toContain(b.visitId);
      expect(ids.indexOf(a.visitId)).toBeLessThan(ids.indexOf(c.visitId));
      expect(list.body.serviceDate).toBe(serviceDateOf(new Date()));
    });
  });

  describe('offline sync', () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

    it('applies each item on its own, reports each outcome, and changes nothing on replay', async () => {
      // 06:30 UTC yesterday is late evening the day before in Los Angeles (PST or PDT).
      const yesterday = new Date(Date.now() - 24 * 3600_000);
      const lateEvening = new Date(Date.UTC(yesterday.getUTCFullYear(), yesterday.getUTCMonth(), yesterday.getUTCDate(), 6, 30)).toISOString();
      const [k1, k2, k3, k4, k5, k6, k7, k8] = Array.from({ length: 8 }, () => randomUUID());
      const items: unknown[] = [
        { type: 'CHECK_IN', idempotencyKey: k1, occurredAt: hoursAgo(2), visitor: { memberId: 'LAC100001' }, purposes: ['EXERCISE_CLASS'] },
        { type: 'CHECK_IN', idempotencyKey: k2, occurredAt: lateEvening, purposes: ['TELEHEALTH_WIFI'] },
        { type: 'CHECK_OUT', idempotencyKey: k3, occurredAt: hoursAgo(1), checkInIdempotencyKey: k1 },
        { type: 'CHECK_IN', idempotencyKey: k4, occurredAt: hoursAgo(1), purposes: ['SWIMMING'] },
        { type: 'CHECK_IN', idempotencyKey: k5, occurredAt: new Date(Date.now() + 3600_000).toISOString(), purposes: ['OTHER'] },
        { type: 'CHECK_IN', idempotencyKey: k6, occurredAt: hoursAgo(24 * 100), purposes: ['OTHER'] },
        { type: 'CHECK_OUT', idempotencyKey: k7, occurredAt: hoursAgo(1) },
        'not an object',
        { type: 'CHECK_IN', idempotencyKey: k8, occurredAt: hoursAgo(3), purposes: ['OTHER'], extra: 'field' },
      ];
      const first = await kiosk.post(`/v1/centers/${center}/check-ins:batch`, { items });
      expect(first.status).toBe(200);
      const outcomes = first.body.results.map((r: { outcome: string; error?: { code: string } }) => r.error?.code ?? r.outcome);
      expect(outcomes).toEqual([
        'ACCEPTED',
        'ACCEPTED',
        'ACCEPTED',
        'REQUEST.VALIDATION_FAILED',
        'VISIT.OCCURRED_IN_FUTURE',
        'VISIT.TOO_OLD',
        'VISIT.REFERENCE_REQUIRED',
        'REQUEST.VALIDATION_FAILED',
        'REQUEST.VALIDATION_FAILED',
      ]);
      expect(first.body.summary).toEqual({ accepted: 3, duplicate: 0, rejected: 6 });
      const [visit1, visit2, checkout1] = first.body.results;
      expect(checkout1.visitId).toBe(visit1.visitId);

      const replay = await kiosk.post(`/v1/centers/${center}/check-ins:batch`, { items });
      expect(replay.body.results.slice(0, 3).map((r: { outcome: string }) => r.outcome)).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE']);
      expect(replay.body.results.slice(0, 3).map((r: { visitId: string }) => r.visitId)).toEqual([visit1.visitId, visit2.visitId, visit1.visitId]);
      expect(replay.body.summary).toEqual({ accepted: 0, duplicate: 3, rejected: 6 });

      await probe.waitFor(() => probe.about(visit1.visitId).length >= 2 && probe.about(visit2.visitId).length >= 1, 'the synced events');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const visit1Events = probe.about(visit1.visitId);
      expect(visit1Events.map((m) => m.envelope.type).sort()).toEqual([VisitCheckedInV1Event.topic, VisitCheckedOutV1Event.topic]);
      expect(visit1Events.find((m) => m.envelope.type === VisitCheckedInV1Event.topic)!.timestamp).toBeLessThanOrEqual(
        visit1Events.find((m) => m.envelope.type === VisitCheckedOutV1Event.topic)!.timestamp,
      );
      const [late] = probe.about(visit2.visitId);
      expect(probe.about(visit2.visitId)).toHaveLength(1);
      // The service date comes from when it happened on the kiosk, in Los Angeles, not from when it arrived.
      expect(late.envelope.data.occurredAt).toBe(lateEvening);
      expect(late.envelope.data.serviceDate).toBe(serviceDateOf(new Date(lateEvening)));
      expect(late.envelope.data.serviceDate < lateEvening.slice(0, 10)).toBe(true);
      expect(new Date(late.envelope.data.recordedAt).getTime()).toBeGreaterThan(new Date(lateEvening).getTime());
    });

    it('refuses a batch that is not a list of 1 to 500 items as a whole', async () => {
      const tooMany = Array.from({ length: 501 }, () => ({ type: 'CHECK_IN' }));
      for (const body of [{ items: [] }, { items: tooMany }, { items: 'x' }, {}]) {
        const response = await kiosk.post(`/v1/centers/${center}/check-ins:batch`, body);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
      }
    });

    it("refuses another center's token", async () => {
      const response = await system.api('checkin', devTokens.kiosk('crc-pomona')).post(`/v1/centers/${center}/check-ins:batch`, {
        items: [{ type: 'CHECK_IN', idempotencyKey: randomUUID(), occurredAt: hoursAgo(1), purposes: ['OTHER'] }],
      });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('AUTH.WRONG_CENTER');
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every route, the idempotency header, the bearer scheme and the error shape', async () => {
      const doc = (await system.api('checkin').get('/docs-json')).body;
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          '/health',
          '/v1/centers/{centerId}/check-ins',
          '/v1/centers/{centerId}/check-ins/{visitId}',
          '/v1/centers/{centerId}/check-ins/{visitId}/check-out',
          '/v1/centers/{centerId}/check-ins:batch',
        ].sort(),
      );
      const checkIn = doc.paths['/v1/centers/{centerId}/check-ins'].post;
      expect(checkIn.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['centerId', 'Idempotency-Key']));
      expect(Object.keys(checkIn.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '422']));
      expect(checkIn.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/CheckInRequest');
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.schemas.ApiErrorResponse).toBeDefined();
      expect(doc.components.schemas.CheckInSyncItem.required).toEqual(expect.arrayContaining(['type', 'idempotencyKey', 'occurredAt', 'purposes']));
      expect((await system.api('checkin').get('/docs')).status).toBe(200);
    });
  });
});
