import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  CloudEventEnvelope,
  createEvent,
  EventDefinition,
  HelpRequestedV1Event,
  serviceDateOf,
  VisitCheckedInV1Event,
  WifiSessionEndedV1Event,
  WifiSessionStartedV1Event,
} from '@crc/contracts';
import type { QuarantinedServicesResponse, UtilizationRecord } from '@crc/contracts';
import { aCheckIn, aHelpCase, aWifiSession, devTokens, eventually, seedFile } from '@crc/testing';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * A help case or a Wi-Fi session names a visit of its own center only. The producing services
 * refuse a visit they know to be of another center; reporting, whatever reaches it and in
 * whichever order, never attaches a service to a visit of another center (it keeps it aside for
 * operations) nor to a visit that does not exist, and attaches an early one once its visit comes.
 */
describe('services stay within their center', () => {
  const here = 'crc-el-monte';
  const elsewhere = 'crc-pomona';
  let system: TestSystem;
  let producer: Producer;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'membership', 'telehealth', 'reporting']);
    await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), { 'content-type': 'application/x-ndjson' });
    producer = new Kafka({ brokers: system.kafkaBrokers, clientId: 'test-producer', logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await system?.close();
  });

  const kiosk = (service: 'checkin' | 'membership' | 'telehealth', center: string) => system.api(service, devTokens.kiosk(center));

  /** Checks a visitor in at a center, through the check-in service; returns the visit id. */
  const checkIn = async (center: string): Promise<string> => {
    const response = await kiosk('checkin', center).post(
      `/v1/centers/${center}/check-ins`,
      aCheckIn({ memberId: 'LAC100001', purposes: ['MEMBERSHIP_HELP', 'TELEHEALTH_WIFI'] }),
    );
    expect(response.status).toBe(201);
    return response.body.visitId as string;
  };

  /** Waits until a producing service has learnt the visit from its check-in event. */
  const knownTo = async (service: 'membership' | 'telehealth', visitId: string) => {
    const store = await StoreAccess.open(system, service);
    try {
      await eventually(
        () => store.collection('known_visits').findOne({ _id: visitId }),
        (doc) => doc?.centerId !== undefined,
        {
          what: `${service} to know visit ${visitId}`,
          timeoutMs: 30_000,
          intervalMs: 100,
        },
      );
    } finally {
      await store.close();
    }
  };

  /** Publishes an event straight to its topic, as a producing service would (keyed by the visit). */
  const publish = async <T extends object>(definition: EventDefinition<T>, data: T) => {
    const envelope: CloudEventEnvelope<T> = createEvent(definition, data, { source: `/crc/${definition.service}` });
    await producer.send({
      topic: `${system.prefix}.${definition.topic}`,
      messages: [{ key: definition.partitionKey(data), value: JSON.stringify(envelope) }],
    });
  };

  const now = () => new Date().toISOString();
  const today = () => serviceDateOf(new Date());
  const helpRequested = (caseId: string, visitId: string, centerId: string) =>
    publish(HelpRequestedV1Event, {
      caseId,
      visitId,
      centerId,
      serviceDate: today(),
      caseType: 'ID_CARD_REPLACEMENT',
      requestedVia: 'KIOSK',
      occurredAt: now(),
      recordedAt: now(),
    });
  const wifiSession = async (sessionId: string, visitId: string, centerId: string, minutes: number) => {
    const startedAt = new Date(Date.now() - minutes * 60_000).toISOString();
    await publish(WifiSessionStartedV1Event, { sessionId, visitId, centerId, serviceDate: today(), occurredAt: startedAt, recordedAt: startedAt });
    await publish(WifiSessionEndedV1Event, {
      sessionId,
      visitId,
      centerId,
      serviceDate: today(),
      startedAt,
      occurredAt: now(),
      recordedAt: now(),
      endedBy: 'CLIENT',
      durationMinutes: minutes,
    });
  };
  const visitCheckedIn = (visitId: string, centerId: string) =>
    publish(VisitCheckedInV1Event, {
      visitId,
      centerId,
      serviceDate: today(),
      occurredAt: now(),
      recordedAt: now(),
      visitor: { memberId: 'LAC100001', memberIdType: 'PLAN_MEMBER_ID', selfReportedPlan: 'NONE' },
      purposes: ['MEMBERSHIP_HELP'],
    });

  /** The latest feed record of a visit in L.A. Care's feed (LAC100001 is on its roster). */
  const feedRecord = async (visitId: string): Promise<UtilizationRecord | undefined> => {
    const items = (await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/LA_CARE/utilization?limit=1000')).body
      .items as UtilizationRecord[];
    return items.filter((r) => r.visitId === visitId).sort((a, b) => b.revision - a.revision)[0];
  };
  const quarantine = async (): Promise<QuarantinedServicesResponse> => {
    const response = await system.api('reporting', devTokens.ops()).get('/v1/operations/quarantined-services');
    expect(response.status).toBe(200);
    return response.body;
  };
  const quarantinedAt = (report: QuarantinedServicesResponse, centerId: string, kind: 'HELP_CASE' | 'WIFI_SESSION') =>
    report.counts.filter((c) => c.centerId === centerId && c.kind === kind).reduce((n, c) => n + c.count, 0);

  it('refuses a help case and a Wi-Fi session naming a visit of another center, once the service knows the visit', async () => {
    const visitId = await checkIn(here);
    await Promise.all([knownTo('membership', visitId), knownTo('telehealth', visitId)]);

    const helpCase = await kiosk('membership', elsewhere).post(`/v1/centers/${elsewhere}/help-cases`, aHelpCase({ visitId }));
    expect(helpCase.status).toBe(422);
    expect(helpCase.body.error).toMatchObject({ code: 'VISIT.NOT_AT_THIS_CENTER', details: [{ field: 'visitId', problems: ['not a visit of this center'] }] });
    const session = await kiosk('telehealth', elsewhere).post(`/v1/centers/${elsewhere}/wifi-sessions`, aWifiSession(visitId));
    expect(session.status).toBe(422);
    expect(session.body.error.code).toBe('VISIT.NOT_AT_THIS_CENTER');
    // Nothing about the other center's visit: not where, not when, not who.
    for (const body of [helpCase.body, session.body]) {
      expect(JSON.stringify(body)).not.toMatch(new RegExp(`${here}|${today()}|LAC100001`));
    }
    // Nothing was opened: the other center's queue holds no case.
    const queue = await system.api('membership', devTokens.staff(elsewhere)).get(`/v1/centers/${elsewhere}/help-cases`);
    expect(JSON.stringify(queue.body)).not.toContain(visitId);

    // At the visit's own center both are taken; a visit not known (yet) is taken too: it may be early.
    expect((await kiosk('membership', here).post(`/v1/centers/${here}/help-cases`, aHelpCase({ visitId }))).status).toBe(201);
    expect((await kiosk('telehealth', here).post(`/v1/centers/${here}/wifi-sessions`, aWifiSession(visitId))).status).toBe(201);
    expect((await kiosk('membership', elsewhere).post(`/v1/centers/${elsewhere}/help-cases`, aHelpCase({ visitId: randomUUID() }))).status).toBe(201);
  });

  it('never attaches services published for another center to the visit, in either order, and shows them to operations', async () => {
    const before = await quarantine();

    // Visit first: checked in here, then services from elsewhere name it (bypassing the producers' check).
    const visitFirst = await checkIn(here);
    await eventually(
      () => feedRecord(visitFirst),
      (r) => r !== undefined,
      { what: 'the visit in the feed', timeoutMs: 30_000 },
    );
    await helpRequested(randomUUID(), visitFirst, elsewhere);
    await wifiSession(randomUUID(), visitFirst, elsewhere, 37);
    // Then a case of its own center, on the same partition as the stray case, so processed after it.
    await helpRequested(randomUUID(), visitFirst, here);

    // Services first: they name a visit whose check-in has not arrived yet, one from elsewhere, one from here.
    const serviceFirst = randomUUID();
    await helpRequested(randomUUID(), serviceFirst, elsewhere);
    await wifiSession(randomUUID(), serviceFirst, elsewhere, 23);
    const early = randomUUID();
    await helpRequested(randomUUID(), early, here);
    await wifiSession(randomUUID(), early, here, 12);
    await visitCheckedIn(serviceFirst, here);
    await visitCheckedIn(early, here);

    // Operations see the four stray services, counted at the center they were opened at.
    const after = await eventually(quarantine, (q) => q.total === before.total + 4, { what: 'four services kept aside', timeoutMs: 30_000 });
    expect(quarantinedAt(after, elsewhere, 'HELP_CASE') - quarantinedAt(before, elsewhere, 'HELP_CASE')).toBe(2);
    expect(quarantinedAt(after, elsewhere, 'WIFI_SESSION') - quarantinedAt(before, elsewhere, 'WIFI_SESSION')).toBe(2);
    expect(JSON.stringify(after)).not.toMatch(new RegExp(`${visitFirst}|${serviceFirst}|LAC100001`));

    // The early case and session of its own center attach once the visit arrives.
    const earlyRecord = await eventually(
      () => feedRecord(early),
      (r) => r?.membershipHelp?.length === 1 && r.telehealthWifiMinutes === 12,
      { what: 'the early services attached to their visit', timeoutMs: 30_000 },
    );
    expect(earlyRecord!.membershipHelp).toEqual([{ caseType: 'ID_CARD_REPLACEMENT' }]);

    // The visit's own case is on its record; nothing from elsewhere is, whichever came first.
    const visitFirstRecord = await eventually(
      () => feedRecord(visitFirst),
      (r) => (r?.membershipHelp?.length ?? 0) > 0,
      {
        what: 'the own-center case on the visit',
        timeoutMs: 30_000,
      },
    );
    expect(visitFirstRecord!.membershipHelp).toHaveLength(1);
    expect(visitFirstRecord!.telehealthWifiMinutes).toBeUndefined();
    const serviceFirstRecord = await eventually(
      () => feedRecord(serviceFirst),
      (r) => r !== undefined,
      { what: 'the later visit in the feed', timeoutMs: 30_000 },
    );
    expect(serviceFirstRecord!.membershipHelp).toBeUndefined();
    expect(serviceFirstRecord!.telehealthWifiMinutes).toBeUndefined();
  });

  it('attaches a service naming a visit that does not exist to nothing', async () => {
    const before = await quarantine();
    const nowhere = randomUUID();
    const caseId = randomUUID();
    await helpRequested(caseId, nowhere, here);
    await wifiSession(randomUUID(), nowhere, here, 15);

    // Reporting has taken the case in (it waits there for a visit that never comes).
    const store = await StoreAccess.open(system, 'reporting');
    try {
      await eventually(
        () => store.collection('help_case_records').findOne({ _id: caseId }),
        (doc) => doc !== null,
        { what: 'reporting to read the case', timeoutMs: 30_000 },
      );
      expect(await store.collection('visit_records').findOne({ _id: nowhere })).toBeNull();
    } finally {
      await store.close();
    }
    expect(await feedRecord(nowhere)).toBeUndefined();
    // Not another center's: nothing to keep aside either.
    expect((await quarantine()).total).toBe(before.total);
  });
});
