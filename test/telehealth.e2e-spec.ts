import { randomUUID } from 'node:crypto';
import { serviceDateOf, WifiSessionEndedV1Event, WifiSessionStartedV1Event } from '@crc/contracts';
import { hashDeviceId } from '@crc/telehealth';
import { aMacAddress, ApiClient, aWifiSession, devTokens, eventually } from '@crc/testing';
import { DEV_ONLY_DEVICE_ID_HASH_KEY } from '../apps/telehealth/src/telehealth.environment';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';
import { TopicProbe } from './support/topic-probe';

const topicsOf = (system: TestSystem) => [WifiSessionStartedV1Event, WifiSessionEndedV1Event].map((d) => `${system.prefix}.${d.topic}`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
/** The spellings a MAC address may take on its way through the system. */
const spellingsOf = (mac: string) => {
  const lower = mac.toLowerCase();
  return [mac, lower, lower.replace(/:/g, ''), lower.replace(/:/g, '-'), mac.replace(/:/g, '-')];
};

/**
 * Wi-Fi lent for telehealth: one session per device, heartbeats, ends by the kiosk, staff or the
 * idle time-out, and every minute published once per visit, with no MAC address anywhere.
 */
describe('telehealth Wi-Fi service', () => {
  const center = 'crc-el-monte';
  const sessions = `/v1/centers/${center}/wifi-sessions`;
  let system: TestSystem;
  let kiosk: ApiClient;
  let staff: ApiClient;
  let probe: TopicProbe;
  let store: StoreAccess;

  beforeAll(async () => {
    // The default idle timeout (600 s), with a sweep every second so that a backdated session times out promptly.
    system = await startTestSystem(['telehealth'], { SESSION_SWEEP_INTERVAL_SECONDS: '1' });
    kiosk = system.api('telehealth', devTokens.kiosk(center));
    staff = system.api('telehealth', devTokens.staff(center));
    probe = await TopicProbe.start(system.kafkaBrokers, topicsOf(system));
    store = await StoreAccess.open(system, 'telehealth');
  });

  afterAll(async () => {
    await store?.close();
    await probe?.stop();
    await system?.close();
  });

  const endedEventsOf = (sessionId: string) => probe.about(sessionId).filter((m) => m.envelope.type === WifiSessionEndedV1Event.topic);
  const start = async (client: ApiClient, body: object, path = sessions) => {
    const response = await client.post(path, body);
    expect(response.status).toBe(201);
    return response.body as { sessionId: string; startedAt: string; visitId: string };
  };

  describe('a session from start to end', () => {
    it('starts, takes heartbeats from the kiosk and the access point, ends once, and publishes both ends keyed by the visit', async () => {
      const visitId = randomUUID();
      const mac = aMacAddress();
      const started = await kiosk.post(sessions, aWifiSession(visitId, { room: 'Room 2', deviceId: mac }));
      expect(started.status).toBe(201);
      expect(started.body).toMatchObject({ centerId: center, visitId, status: 'ACTIVE', room: 'Room 2', deviceRegistered: true });
      expect(started.body.serviceDate).toBe(serviceDateOf(new Date(started.body.startedAt)));
      const { sessionId } = started.body;
      expect(started.headers.get('location')).toBe(`${sessions}/${sessionId}`);

      const fromKiosk = await kiosk.post(`${sessions}/${sessionId}/heartbeats`);
      expect(fromKiosk.status).toBe(200);
      expect(fromKiosk.body.lastHeartbeatAt).toBeDefined();
      // The access point spells the address its own way.
      const fromAccessPoint = await kiosk.post(`${sessions}/heartbeats`, { deviceId: mac.toLowerCase().replace(/:/g, '-') });
      expect(fromAccessPoint.status).toBe(200);
      expect(fromAccessPoint.body.sessionId).toBe(sessionId);
      expect(new Date(fromAccessPoint.body.lastHeartbeatAt).getTime()).toBeGreaterThanOrEqual(new Date(fromKiosk.body.lastHeartbeatAt).getTime());

      const ended = await kiosk.post(`${sessions}/${sessionId}/end`);
      expect(ended.status).toBe(200);
      expect(ended.body).toMatchObject({ status: 'ENDED', endedBy: 'CLIENT', durationMinutes: 0 });

      const again = await staff.post(`${sessions}/${sessionId}/end`);
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'SESSION.ALREADY_ENDED', details: { endedBy: 'CLIENT', endedAt: ended.body.endedAt } });
      expect((await kiosk.post(`${sessions}/${sessionId}/heartbeats`)).body.error.code).toBe('SESSION.ALREADY_ENDED');
      // The device is free again: the access point finds no session for it.
      const orphanBeat = await kiosk.post(`${sessions}/heartbeats`, { deviceId: mac });
      expect(orphanBeat.status).toBe(404);
      expect(orphanBeat.body.error.code).toBe('SESSION.NOT_FOUND');
      expect((await kiosk.get(`${sessions}/${sessionId}`)).body).toMatchObject({ status: 'ENDED', endedAt: ended.body.endedAt });

      await probe.waitFor(() => endedEventsOf(sessionId).length >= 1, 'wifi-session-ended');
      await settle();
      const events = probe.about(sessionId);
      expect(events).toHaveLength(2);
      const startedEvent = events.find((m) => m.envelope.type === WifiSessionStartedV1Event.topic)!;
      const endedEvent = events.find((m) => m.envelope.type === WifiSessionEndedV1Event.topic)!;
      expect(startedEvent.timestamp).toBeLessThanOrEqual(endedEvent.timestamp);
      expect(startedEvent.key).toBe(visitId);
      expect(endedEvent.key).toBe(visitId);
      expect(startedEvent.envelope).toMatchObject({ source: '/crc/telehealth', subject: sessionId });
      expect(startedEvent.envelope.data).toEqual({
        sessionId,
        visitId,
        centerId: center,
        serviceDate: started.body.serviceDate,
        room: 'Room 2',
        occurredAt: started.body.startedAt,
        recordedAt: started.body.startedAt,
      });
      expect(endedEvent.envelope.data).toEqual({
        sessionId,
        visitId,
        centerId: center,
        serviceDate: started.body.serviceDate,
        room: 'Room 2',
        startedAt: started.body.startedAt,
        occurredAt: ended.body.endedAt,
        recordedAt: ended.body.endedAt,
        endedBy: 'CLIENT',
        durationMinutes: 0,
      });

      // The MAC address is nowhere: not on Kafka, not in the store, not in any answer.
      const everywhere = [JSON.stringify(probe.messages), await store.dump(), JSON.stringify([started.body, fromAccessPoint.body, ended.body])]
        .join('\n')
        .toLowerCase();
      for (const spelling of spellingsOf(mac)) expect(everywhere).not.toContain(spelling.toLowerCase());
    });

    it('lets staff close a session', async () => {
      const { sessionId } = await start(kiosk, aWifiSession(randomUUID()));
      const closed = await staff.post(`${sessions}/${sessionId}/end`);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ status: 'ENDED', endedBy: 'STAFF', deviceRegistered: false });
      await probe.waitFor(() => endedEventsOf(sessionId).length >= 1, 'wifi-session-ended');
      expect(endedEventsOf(sessionId)[0].envelope.data.endedBy).toBe('STAFF');
    });

    it('refuses what is not a MAC address, without echoing it', async () => {
      const mixed = await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: '3c:22-fb:12:9a:0e' }));
      expect(mixed.status).toBe(400);
      expect(mixed.body.error.code).toBe('SESSION.INVALID_DEVICE_ID');
      expect(JSON.stringify(mixed.body)).not.toContain('3c:22-fb');
      const garbage = await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: 'my-phone' }));
      expect(garbage.status).toBe(400);
      expect(garbage.body.error).toMatchObject({
        code: 'REQUEST.VALIDATION_FAILED',
        details: [{ field: 'deviceId', problems: ['deviceId must be a MAC address'] }],
      });
      expect(JSON.stringify(garbage.body)).not.toContain('my-phone');
      const noVisit = await kiosk.post(sessions, { room: 'Room 1' });
      expect(noVisit.status).toBe(400);
      expect(noVisit.body.error.details.map((d: { field: string }) => d.field)).toEqual(['visitId']);
    });

    it('answers an unknown or malformed session with 404', async () => {
      for (const id of [randomUUID(), 'nope']) {
        for (const response of [
          await kiosk.post(`${sessions}/${id}/end`),
          await kiosk.post(`${sessions}/${id}/heartbeats`),
          await kiosk.get(`${sessions}/${id}`),
        ]) {
          expect(response.status).toBe(404);
          expect(response.body.error.code).toBe('SESSION.NOT_FOUND');
        }
      }
    });
  });

  describe('one session per device per center', () => {
    it('lets exactly one of many simultaneous starts of one device through, whatever the spelling', async () => {
      const mac = aMacAddress();
      const spellings = spellingsOf(mac);
      const visits = Array.from({ length: 10 }, () => randomUUID());
      const responses = await Promise.all(
        visits.map((visitId, i) => kiosk.post(sessions, aWifiSession(visitId, { deviceId: spellings[i % spellings.length] }))),
      );
      const winners = responses.filter((r) => r.status === 201);
      expect(winners).toHaveLength(1);
      const losers = responses.filter((r) => r.status === 409);
      expect(losers).toHaveLength(9);
      for (const loser of losers) expect(loser.body.error.code).toBe('SESSION.DEVICE_BUSY');
      const { sessionId, visitId } = winners[0].body;

      // Another center may lend Wi-Fi to the same device meanwhile.
      const elsewhere = await start(
        system.api('telehealth', devTokens.kiosk('crc-pomona')),
        aWifiSession(randomUUID(), { deviceId: mac }),
        '/v1/centers/crc-pomona/wifi-sessions',
      );
      expect((await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: mac }))).status).toBe(409);

      // Once it ended, the device may start again.
      expect((await kiosk.post(`${sessions}/${sessionId}/end`)).status).toBe(200);
      const next = await start(kiosk, aWifiSession(visitId, { deviceId: mac }));
      expect(next.sessionId).not.toBe(sessionId);
      expect((await kiosk.post(`${sessions}/${next.sessionId}/end`)).status).toBe(200);
      expect(
        (await system.api('telehealth', devTokens.kiosk('crc-pomona')).post(`/v1/centers/crc-pomona/wifi-sessions/${elsewhere.sessionId}/end`)).status,
      ).toBe(200);

      // Of the ten visits, only the winner's start was published (twice: its second session after the end).
      await probe.waitFor(() => probe.about(next.sessionId).length >= 2, 'the second session of the device');
      await settle();
      const startedVisits = probe.messages.filter((m) => m.envelope.type === WifiSessionStartedV1Event.topic).map((m) => m.envelope.data.visitId);
      expect(startedVisits.filter((v) => visits.includes(v))).toEqual([visitId, visitId]);
    });

    it('clears a claim a crash left behind, but not one whose start is still in flight', async () => {
      const claims = store.collection('wifi_device_claims');
      const claimOf = (mac: string) => `${center}:${hashDeviceId(mac, DEV_ONLY_DEVICE_ID_HASH_KEY)}`;

      // The session ended, then the process died before it freed the device.
      const endedMac = aMacAddress();
      const ended = await start(kiosk, aWifiSession(randomUUID(), { deviceId: endedMac }));
      expect((await kiosk.post(`${sessions}/${ended.sessionId}/end`)).status).toBe(200);
      expect(await claims.countDocuments({ _id: claimOf(endedMac) })).toBe(0);
      await claims.insertOne({ _id: claimOf(endedMac), sessionId: ended.sessionId, claimedAt: new Date() });
      expect((await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: endedMac }))).status).toBe(201);

      // A start claimed the device and died before storing its session.
      const orphanMac = aMacAddress();
      await claims.insertOne({ _id: claimOf(orphanMac), sessionId: randomUUID(), claimedAt: new Date(Date.now() - 5 * 60_000) });
      expect((await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: orphanMac }))).status).toBe(201);

      // A start that claimed the device a moment ago is presumably storing its session right now.
      const busyMac = aMacAddress();
      await claims.insertOne({ _id: claimOf(busyMac), sessionId: randomUUID(), claimedAt: new Date() });
      const busy = await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: busyMac }));
      expect(busy.status).toBe(409);
      expect(busy.body.error.code).toBe('SESSION.DEVICE_BUSY');
    });

    it('starts one session for a retried key, published once', async () => {
      const key = randomUUID();
      const body = aWifiSession(randomUUID(), { deviceId: aMacAddress() });
      const taps = await Promise.all(Array.from({ length: 5 }, () => kiosk.post(sessions, body, { 'idempotency-key': key })));
      expect(taps.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(taps.map((r) => r.body.sessionId)).size).toBe(1);
      const replay = await kiosk.post(sessions, body, { 'idempotency-key': key });
      expect(replay.body).toEqual(taps[0].body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      const reused = await kiosk.post(sessions, aWifiSession(randomUUID()), { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.error.code).toBe('IDEMPOTENCY.KEY_REUSED');

      const { sessionId } = taps[0].body;
      const endKey = randomUUID();
      const ends = await Promise.all(Array.from({ length: 3 }, () => kiosk.post(`${sessions}/${sessionId}/end`, undefined, { 'idempotency-key': endKey })));
      expect(ends.map((r) => r.status)).toEqual([200, 200, 200]);
      await probe.waitFor(() => endedEventsOf(sessionId).length >= 1, 'wifi-session-ended');
      await settle();
      expect(
        probe
          .about(sessionId)
          .map((m) => m.envelope.type)
          .sort(),
      ).toEqual([WifiSessionEndedV1Event.topic, WifiSessionStartedV1Event.topic]);
    });
  });

  describe('minutes of Wi-Fi', () => {
    it('reach Kafka exactly once per session of a visit, however it ended, and add up in the center view', async () => {
      const norwalk = '/v1/centers/crc-norwalk/wifi-sessions';
      const norwalkKiosk = system.api('telehealth', devTokens.kiosk('crc-norwalk'));
      const norwalkStaff = system.api('telehealth', devTokens.staff('crc-norwalk'));
      const visitId = randomUUID();
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

      // A: an appointment that began 42 minutes ago and is still alive; the kiosk and staff both end it.
      const a = await start(norwalkKiosk, aWifiSession(visitId, { room: 'Room 1', deviceId: aMacAddress() }), norwalk);
      await store.backdate('wifi_sessions', a.sessionId, { startedAt: minutesAgo(42), lastHeartbeatAt: new Date(), lastActivityAt: new Date() });
      const endKey = randomUUID();
      const ending = await Promise.all([
        norwalkKiosk.post(`${norwalk}/${a.sessionId}/end`, undefined, { 'idempotency-key': endKey }),
        norwalkKiosk.post(`${norwalk}/${a.sessionId}/end`, undefined, { 'idempotency-key': endKey }),
        norwalkKiosk.post(`${norwalk}/${a.sessionId}/end`),
        norwalkStaff.post(`${norwalk}/${a.sessionId}/end`),
      ]);
      expect(ending.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === 'SESSION.ALREADY_ENDED'))).toBe(true);
      expect(new Set(ending.filter((r) => r.status === 200).map((r) => r.body.endedBy)).size).toBe(1);

      // B: began 30 minutes ago, last heartbeat 20 minutes ago: past the idle timeout. The sweep and a late heartbeat race to end it.
      const b = await start(norwalkKiosk, aWifiSession(visitId, { deviceId: aMacAddress() }), norwalk);
      const lastHeartbeat = minutesAgo(20);
      await store.backdate('wifi_sessions', b.sessionId, { startedAt: minutesAgo(30), lastHeartbeatAt: lastHeartbeat, lastActivityAt: lastHeartbeat });
      const late = await norwalkKiosk.post(`${norwalk}/${b.sessionId}/heartbeats`);
      expect(late.status).toBe(409);
      expect(late.body.error).toMatchObject({ code: 'SESSION.ALREADY_ENDED', details: { endedBy: 'TIMEOUT', endedAt: lastHeartbeat.toISOString() } });

      // C: a few seconds.
      const c = await start(norwalkKiosk, aWifiSession(visitId), norwalk);
      expect((await norwalkKiosk.post(`${norwalk}/${c.sessionId}/end`)).status).toBe(200);

      const endedOfVisit = () => probe.messages.filter((m) => m.key === visitId && m.envelope.type === WifiSessionEndedV1Event.topic);
      await probe.waitFor(() => endedOfVisit().length >= 3, 'the three ends of the visit');
      await settle();
      const ended = endedOfVisit();
      expect(ended).toHaveLength(3);
      expect(new Set(ended.map((m) => m.envelope.id)).size).toBe(3);
      const bySession = Object.fromEntries(ended.map((m) => [m.envelope.data.sessionId, m.envelope.data]));
      expect(bySession[a.sessionId]).toMatchObject({ durationMinutes: 42, room: 'Room 1' });
      expect(bySession[b.sessionId]).toMatchObject({ durationMinutes: 10, endedBy: 'TIMEOUT', occurredAt: lastHeartbeat.toISOString() });
      expect(bySession[c.sessionId]).toMatchObject({ durationMinutes: 0 });

      const view = await norwalkStaff.get(norwalk);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        centerId: 'crc-norwalk',
        serviceDate: serviceDateOf(new Date()),
        inProgress: [],
        sessionsToday: 3,
        minutesUsedToday: 52,
      });
    });
  });

  describe('the center view', () => {
    it('shows staff the sessions in progress, oldest first, and refuses the kiosk', async () => {
      const inglewood = '/v1/centers/crc-inglewood/wifi-sessions';
      const inglewoodKiosk = system.api('telehealth', devTokens.kiosk('crc-inglewood'));
      const first = await start(inglewoodKiosk, aWifiSession(randomUUID(), { room: 'Room 3' }), inglewood);
      const second = await start(inglewoodKiosk, aWifiSession(randomUUID()), inglewood);
      const done = await start(inglewoodKiosk, aWifiSession(randomUUID()), inglewood);
      expect((await inglewoodKiosk.post(`${inglewood}/${done.sessionId}/end`)).status).toBe(200);
      await store.backdate('wifi_sessions', first.sessionId, { startedAt: new Date(Date.now() - 7 * 60_000) });

      const view = await system.api('telehealth', devTokens.staff('crc-inglewood')).get(inglewood);
      expect(view.status).toBe(200);
      expect(view.body.inProgress.map((s: { sessionId: string }) => s.sessionId)).toEqual([first.sessionId, second.sessionId]);
      expect(view.body.inProgress[0]).toMatchObject({ room: 'Room 3', status: 'ACTIVE', minutesSoFar: 7 });
      expect(view.body).toMatchObject({ sessionsToday: 3, minutesUsedToday: 7 });

      const fromKiosk = await inglewoodKiosk.get(inglewood);
      expect(fromKiosk.status).toBe(403);
      expect(fromKiosk.body.error.code).toBe('AUTH.ROLE_NOT_ALLOWED');
    });
  });

  describe('who may do what', () => {
    it("refuses another center's token, and kiosk routes to staff", async () => {
      const { sessionId } = await start(kiosk, aWifiSession(randomUUID()));
      const pomonaKiosk = system.api('telehealth', devTokens.kiosk('crc-pomona'));
      const wrongCenter = await pomonaKiosk.post(sessions, aWifiSession(randomUUID()));
      expect(wrongCenter.status).toBe(403);
      expect(wrongCenter.body.error.code).toBe('AUTH.WRONG_CENTER');
      expect((await pomonaKiosk.post(`${sessions}/${sessionId}/end`)).body.error.code).toBe('AUTH.WRONG_CENTER');
      expect((await system.api('telehealth', devTokens.staff('crc-pomona')).get(sessions)).body.error.code).toBe('AUTH.WRONG_CENTER');
      // Through its own center's route, another center's session does not exist.
      expect((await pomonaKiosk.post(`/v1/centers/crc-pomona/wifi-sessions/${sessionId}/end`)).status).toBe(404);
      const staffStarts = await staff.post(sessions, aWifiSession(randomUUID()));
      expect(staffStarts.status).toBe(403);
      expect(staffStarts.body.error.code).toBe('AUTH.ROLE_NOT_ALLOWED');
      expect((await system.api('telehealth').post(sessions, aWifiSession(randomUUID()))).status).toBe(401);
      expect((await kiosk.get(`${sessions}/${sessionId}`)).body.status).toBe('ACTIVE');
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every route, the idempotency header and the error responses', async () => {
      const doc = (await system.api('telehealth').get('/docs-json')).body;
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          '/health',
          '/v1/centers/{centerId}/wifi-sessions',
          '/v1/centers/{centerId}/wifi-sessions/heartbeats',
          '/v1/centers/{centerId}/wifi-sessions/{sessionId}',
          '/v1/centers/{centerId}/wifi-sessions/{sessionId}/end',
          '/v1/centers/{centerId}/wifi-sessions/{sessionId}/heartbeats',
        ].sort(),
      );
      const startOp = doc.paths['/v1/centers/{centerId}/wifi-sessions'].post;
      expect(startOp.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['centerId', 'Idempotency-Key']));
      expect(Object.keys(startOp.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422']));
      expect(startOp.responses['409'].description).toContain('SESSION.DEVICE_BUSY');
      const endOp = doc.paths['/v1/centers/{centerId}/wifi-sessions/{sessionId}/end'].post;
      expect(Object.keys(endOp.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404', '409', '422']));
      expect(endOp.responses['409'].description).toContain('SESSION.ALREADY_ENDED');
      expect(doc.components.schemas.StartWifiSessionRequest.required).toEqual(['visitId']);
      expect(doc.components.schemas.WifiCenterViewResponse.properties.minutesUsedToday).toBeDefined();
      expect(doc.components.schemas.ApiErrorResponse).toBeDefined();
    });
  });
});

describe('telehealth Wi-Fi idle time-out', () => {
  const center = 'crc-long-beach';
  const sessions = `/v1/centers/${center}/wifi-sessions`;
  const TIMEOUT_S = 3;
  let system: TestSystem;
  let kiosk: ApiClient;
  let probe: TopicProbe;

  beforeAll(async () => {
    system = await startTestSystem(['telehealth'], { SESSION_IDLE_TIMEOUT_SECONDS: String(TIMEOUT_S), SESSION_SWEEP_INTERVAL_SECONDS: '1' });
    kiosk = system.api('telehealth', devTokens.kiosk(center));
    probe = await TopicProbe.start(system.kafkaBrokers, topicsOf(system));
  });

  afterAll(async () => {
    await probe?.stop();
    await system?.close();
  });

  const endedEventOf = async (sessionId: string) =>
    (
      await probe.waitFor(
        (all) => all.some((m) => m.envelope.subject === sessionId && m.envelope.type === WifiSessionEndedV1Event.topic),
        `the time-out of ${sessionId}`,
      )
    ).find((m) => m.envelope.subject === sessionId && m.envelope.type === WifiSessionEndedV1Event.topic)!;

  it('ends a silent session at its last heartbeat (or its start), frees the device, and refuses later heartbeats', async () => {
    const mac = aMacAddress();
    const silent = (await kiosk.post(sessions, aWifiSession(randomUUID()))).body;
    const beating = (await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: mac }))).body;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const heartbeat = await kiosk.post(`${sessions}/${beating.sessionId}/heartbeats`);
    expect(heartbeat.status).toBe(200);
    const lastHeartbeatAt = heartbeat.body.lastHeartbeatAt as string;

    const silentEnd = await endedEventOf(silent.sessionId);
    expect(silentEnd.envelope.data).toMatchObject({ endedBy: 'TIMEOUT', occurredAt: silent.startedAt, durationMinutes: 0 });
    const beatingEnd = await endedEventOf(beating.sessionId);
    expect(beatingEnd.envelope.data).toMatchObject({ endedBy: 'TIMEOUT', occurredAt: lastHeartbeatAt, startedAt: beating.startedAt });
    // Noticed after the timeout had passed, recorded as ending at the heartbeat.
    expect(new Date(beatingEnd.envelope.data.recordedAt).getTime() - new Date(lastHeartbeatAt).getTime()).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
    expect(beatingEnd.key).toBe(beating.visitId);

    const read = await kiosk.get(`${sessions}/${beating.sessionId}`);
    expect(read.body).toMatchObject({ status: 'ENDED', endedBy: 'TIMEOUT', endedAt: lastHeartbeatAt, lastHeartbeatAt });
    const late = await kiosk.post(`${sessions}/${beating.sessionId}/heartbeats`);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'SESSION.ALREADY_ENDED', details: { endedBy: 'TIMEOUT', endedAt: lastHeartbeatAt } });
    expect((await kiosk.post(`${sessions}/${beating.sessionId}/end`)).status).toBe(409);
    // The device may start a new session.
    expect((await kiosk.post(sessions, aWifiSession(beating.visitId, { deviceId: mac }))).status).toBe(201);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(probe.about(beating.sessionId).filter((m) => m.envelope.type === WifiSessionEndedV1Event.topic)).toHaveLength(1);
  });

  it('keeps a session alive as long as heartbeats come', async () => {
    const mac = aMacAddress();
    const session = (await kiosk.post(sessions, aWifiSession(randomUUID(), { deviceId: mac }))).body;
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const beat = await kiosk.post(`${sessions}/heartbeats`, { deviceId: mac });
      expect(beat.status).toBe(200);
    }
    expect((await kiosk.get(`${sessions}/${session.sessionId}`)).body.status).toBe('ACTIVE');
    const ended = await kiosk.post(`${sessions}/${session.sessionId}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.endedBy).toBe('CLIENT');
    await eventually(
      async () => probe.about(session.sessionId),
      (m) => m.length >= 2,
      { what: 'both events' },
    );
  });
});
