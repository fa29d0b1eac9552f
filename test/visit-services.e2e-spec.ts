import { readFileSync } from 'node:fs';
import type { UtilizationRecord } from '@crc/contracts';
import { aCheckIn, devTokens, eventually, seedFile } from '@crc/testing';
import { StoreAccess } from './support/store-access';
import { startTestSystem, TestSystem } from './support/test-system';

/**
 * A visit's record joins what the three services say about it: the plan's feed shows the help
 * cases and the Wi-Fi minutes of its members' visits, and operations see sessions and backlog.
 */
describe('a visit joined from all three services', () => {
  const center = 'crc-east-los-angeles';
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem(['checkin', 'membership', 'telehealth', 'reporting']);
    await system
      .api('reporting', devTokens.partner('LA_CARE'))
      .put('/v1/partners/LA_CARE/eligibility', readFileSync(seedFile('rosters', 'la-care.ndjson'), 'utf8'), { 'content-type': 'application/x-ndjson' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('brings help cases and Wi-Fi minutes into the feed record, and shows them to operations', async () => {
    const kiosk = (service: 'checkin' | 'membership' | 'telehealth') => system.api(service, devTokens.kiosk(center));
    const staff = system.api('membership', devTokens.staff(center));
    const visitId = (
      await kiosk('checkin').post(`/v1/centers/${center}/check-ins`, aCheckIn({ memberId: 'LAC100001', purposes: ['MEMBERSHIP_HELP', 'TELEHEALTH_WIFI'] }))
    ).body.visitId as string;

    // Membership help: opened at the kiosk, worked and resolved by staff.
    const opened = await kiosk('membership').post(`/v1/centers/${center}/help-cases`, { caseType: 'ID_CARD_REPLACEMENT', visitId });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    expect((await staff.post(`/v1/centers/${center}/help-cases/${caseId}/assign`, {})).status).toBe(200);
    expect((await staff.post(`/v1/centers/${center}/help-cases/${caseId}/resolve`, { outcome: 'RESOLVED' })).status).toBe(200);
    // A second case still waiting: the backlog.
    expect((await kiosk('membership').post(`/v1/centers/${center}/help-cases`, { caseType: 'PCP_CHANGE', visitId })).status).toBe(201);

    // Telehealth: a session that ran 42 minutes (its start moved into the past), then ended.
    const session = await kiosk('telehealth').post(`/v1/centers/${center}/wifi-sessions`, { visitId, room: 'Room 2' });
    expect(session.status).toBe(201);
    const store = await StoreAccess.open(system, 'telehealth');
    try {
      await store.backdate('wifi_sessions', session.body.sessionId, {
        startedAt: new Date(Date.now() - 42 * 60_000),
        lastHeartbeatAt: new Date(),
        lastActivityAt: new Date(),
      });
    } finally {
      await store.close();
    }
    expect((await kiosk('telehealth').post(`/v1/centers/${center}/wifi-sessions/${session.body.sessionId}/end`, {})).status).toBe(200);

    const latest = await eventually(
      async () => {
        const items = (await system.api('reporting', devTokens.partner('LA_CARE')).get('/v1/partners/LA_CARE/utilization?limit=1000')).body
          .items as UtilizationRecord[];
        return items.filter((r) => r.visitId === visitId).sort((a, b) => b.revision - a.revision)[0];
      },
      (r) => r?.telehealthWifiMinutes === 42 && (r.membershipHelp ?? []).length === 2 && r.membershipHelp!.some((h) => h.outcome === 'RESOLVED'),
      { what: 'the help cases and Wi-Fi minutes in the feed record', timeoutMs: 30_000 },
    );
    expect(latest.membershipHelp).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseType: 'ID_CARD_REPLACEMENT', outcome: 'RESOLVED', minutes: expect.any(Number) }),
        { caseType: 'PCP_CHANGE' },
      ]),
    );
    expect(latest.supersedes).toBe(`${visitId}:${latest.revision - 1}`);

    const dashboard = await eventually(
      () => system.api('reporting', devTokens.ops()).get('/v1/operations/dashboard'),
      (r) => r.body.centers?.find((c: { centerId: string }) => c.centerId === center)?.membershipHelp.backlog === 1,
      { what: 'the help backlog on the dashboard' },
    );
    const tile = dashboard.body.centers.find((c: { centerId: string }) => c.centerId === center);
    // One open case and one ended session: operations see the exact figures.
    expect(tile.membershipHelp.backlog).toBe(1);
    expect(tile.wifi).toEqual({ sessionsInProgress: 0, minutes: 42 });
  });
});
