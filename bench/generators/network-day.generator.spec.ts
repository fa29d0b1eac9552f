import { SeededRandom } from '../support/seeded-random';
import { generateRoster } from './kiosk-traffic.generator';
import { feedPlanOf, generateNetworkDay, OPEN_MINUTES } from './network-day.generator';

const centers = ['crc-a', 'crc-b', 'crc-c', 'crc-d'];
const roster = generateRoster(new SeededRandom(1), 300);
const dayOf = (seed: number, offlineKiosks = 2) => generateNetworkDay(new SeededRandom(seed), { centers, visitsPerCenter: 200, offlineKiosks, roster });

describe('generateNetworkDay', () => {
  it('is the same day for the same seed, and another for another seed', () => {
    expect(dayOf(7)).toEqual(dayOf(7));
    expect(dayOf(8).visits.map((v) => v.checkInMinute)).not.toEqual(dayOf(7).visits.map((v) => v.checkInMinute));
  });

  it('spreads each center’s visits over opening hours, each check-out after its check-in', () => {
    const day = dayOf(7);
    expect(day.visits).toHaveLength(centers.length * 200);
    for (const c of centers) expect(day.visits.filter((v) => v.centerId === c)).toHaveLength(200);
    for (const v of day.visits) {
      expect(v.checkInMinute).toBeGreaterThanOrEqual(0);
      expect(v.checkInMinute).toBeLessThan(OPEN_MINUTES);
      if (v.checkOutMinute !== undefined) expect(v.checkOutMinute).toBeGreaterThan(v.checkInMinute);
    }
    const checkedOut = day.visits.filter((v) => v.checkOutMinute !== undefined).length / day.visits.length;
    expect(checkedOut).toBeGreaterThan(0.85);
    expect(checkedOut).toBeLessThan(0.95);
  });

  it('keeps offline kiosks’ check-ins out of the live schedule, syncs them when the kiosk is back, and starts no service meanwhile', () => {
    const day = dayOf(7);
    expect(day.outages).toHaveLength(2);
    const offline = day.visits.filter((v) => v.offlineCheckIn);
    expect(offline.length).toBeGreaterThan(0);
    for (const v of offline) {
      const outage = day.outages.find((o) => o.centerId === v.centerId)!;
      expect(v.checkInMinute).toBeGreaterThanOrEqual(outage.from);
      expect(v.checkInMinute).toBeLessThan(outage.to);
      expect(v.help).toBeUndefined();
      expect(v.wifi).toBeUndefined();
      expect(day.actions.some((a) => a.kind === 'check-in' && a.visit === v.index)).toBe(false);
    }
    for (const o of day.outages) expect(day.actions).toContainEqual({ kind: 'kiosk-sync', minute: o.to, centerId: o.centerId });
    expect(dayOf(7, 0).visits.some((v) => v.offlineCheckIn || v.offlineCheckOut)).toBe(false);
  });

  it('lists actions in the order they are due, a visit’s help and Wi-Fi after its check-in', () => {
    const day = dayOf(7);
    for (let i = 1; i < day.actions.length; i++) expect(day.actions[i].minute).toBeGreaterThanOrEqual(day.actions[i - 1].minute);
    const helped = day.visits.filter((v) => v.help);
    const online = day.visits.filter((v) => v.wifi);
    expect(helped.length).toBeGreaterThan(0);
    expect(online.length).toBeGreaterThan(0);
    for (const v of helped) expect(v.help!.openMinute).toBeGreaterThan(v.checkInMinute);
    for (const v of online) expect(v.wifi!.startMinute).toBeGreaterThan(v.checkInMinute);
    expect(
      day.actions
        .filter((a) => a.kind === 'roster-upload')
        .map((a) => (a as { plan: string }).plan)
        .sort(),
    ).toEqual(['BLUE_SHIELD_PROMISE', 'LA_CARE']);
  });

  it('expects a member’s visit in the feed of the plan that serves them, a community visit in none', () => {
    const served = roster.find((m) => m.plan === 'LA_CARE' && m.planPartner === 'BLUE_SHIELD_PROMISE')!;
    const own = roster.find((m) => m.plan === 'LA_CARE' && !m.planPartner)!;
    expect(feedPlanOf(served)).toBe('BLUE_SHIELD_PROMISE');
    expect(feedPlanOf(own)).toBe('LA_CARE');
    const day = dayOf(7);
    for (const v of day.visits) expect(v.expectedPlan === undefined).toBe(v.visitor === undefined);
  });
});
