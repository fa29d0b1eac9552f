import { HELP_CASE_TYPES, HELP_RESOLUTION_OUTCOMES, PartnerPlan, VISIT_PURPOSES } from '@crc/contracts';
import { RosterMember } from './kiosk-traffic.generator';
import { SeededRandom } from '../support/seeded-random';

/** Opening hours: 8:00 to 18:00, in minutes from opening. */
export const OPEN_MINUTES = 10 * 60;
/** Share of each opening hour in the day's arrivals: a morning rise, a lunch peak, an after-work bump. */
const ARRIVALS_BY_HOUR = [6, 9, 11, 12, 10, 9, 10, 11, 9, 7];
/** How often the watchers read: operations' dashboard, each plan's feed pull, each center's staff screens (minutes). */
const DASHBOARD_EVERY = 5;
const FEED_PULL_EVERY = 30;
const HELP_QUEUE_EVERY = 15;
const WIFI_VIEW_EVERY = 30;
const HEARTBEAT_EVERY = 5;
/** Minutes into the day each plan re-sends its whole roster (with the day's new members): mid-morning and mid-afternoon. */
const ROSTER_UPLOADS: Array<[PartnerPlan, number]> = [
  ['LA_CARE', 150],
  ['BLUE_SHIELD_PROMISE', 360],
];

export interface DayVisitor {
  memberId: string;
  selfReportedPlan: PartnerPlan;
}

export interface DayVisit {
  index: number;
  centerId: string;
  /** Absent: a community visitor who gave no member id. */
  visitor?: DayVisitor;
  /** The feed the visit must end up in (attribution rules 1 and 3 through the plan-partner mapping), none for a community visit. */
  expectedPlan?: PartnerPlan;
  purposes: string[];
  checkInMinute: number;
  /** Absent: still in the center at closing (the kiosk never checks them out). */
  checkOutMinute?: number;
  /** Queued by an offline kiosk, sent with its batch. */
  offlineCheckIn: boolean;
  offlineCheckOut: boolean;
  help?: { caseType: string; openMinute: number; assignMinute: number; closeMinute: number; outcome: string | 'ABANDON' };
  wifi?: { deviceId: string; startMinute: number; endMinute: number };
}

export type DayAction =
  | { kind: 'check-in' | 'check-out' | 'help-open' | 'help-assign' | 'help-close' | 'wifi-start' | 'wifi-end'; minute: number; visit: number }
  | { kind: 'wifi-heartbeat'; minute: number; visit: number }
  | { kind: 'kiosk-sync'; minute: number; centerId: string }
  | { kind: 'roster-upload'; minute: number; plan: PartnerPlan }
  | { kind: 'dashboard'; minute: number }
  | { kind: 'feed-pull'; minute: number; plan: PartnerPlan }
  | { kind: 'help-queue' | 'wifi-view'; minute: number; centerId: string };

export interface Outage {
  centerId: string;
  from: number;
  to: number;
}

export interface NetworkDay {
  visits: DayVisit[];
  /** Every action, in the order it is due (minutes from opening). */
  actions: DayAction[];
  outages: Outage[];
  /** Minutes from opening to the last action. */
  lastMinute: number;
}

export interface NetworkDayOptions {
  centers: string[];
  visitsPerCenter: number;
  offlineKiosks: number;
  /** Members the visitors are drawn from: those in the rosters uploaded before opening. */
  roster: RosterMember[];
}

/** The plan whose feed a roster member's visit belongs to: a member L.A. Care serves through Blue Shield Promise is Blue Shield Promise's. */
export function feedPlanOf(member: RosterMember): PartnerPlan {
  return member.plan === 'LA_CARE' && member.planPartner === 'BLUE_SHIELD_PROMISE' ? 'BLUE_SHIELD_PROMISE' : member.plan;
}

const inOutage = (outages: Outage[], centerId: string, minute: number) => outages.some((o) => o.centerId === centerId && minute >= o.from && minute < o.to);

function macAddress(random: SeededRandom): string {
  return Array.from({ length: 6 }, () => random.int(256).toString(16).padStart(2, '0')).join(':');
}

/**
 * A day in the network, the same for the same seed: each center's visits spread over opening hours,
 * 60% roster members (30% of them giving their CIN), 10% giving a member id no roster knows and naming
 * a plan, 30% community; 8% ask for membership help (staff take the case up and close it), 5% use the
 * Wi-Fi for a telehealth visit (heartbeats every 5 minutes); 90% check out. Some kiosks go offline for
 * 30 to 90 minutes: their check-ins and check-outs queue and go in one batch when they are back, and
 * they start no help case or Wi-Fi session meanwhile. Operations, the plans and the staff read as they
 * would, and each plan re-sends its roster once during the day.
 */
export function generateNetworkDay(random: SeededRandom, options: NetworkDayOptions): NetworkDay {
  const { centers, roster } = options;
  const outages: Outage[] = [];
  const shuffled = [...centers];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const offline = shuffled.slice(0, Math.min(options.offlineKiosks, centers.length));
  for (const centerId of offline) {
    const from = 60 + random.int(OPEN_MINUTES - 180);
    outages.push({ centerId, from, to: from + 30 + random.int(61) });
  }
  const weights = ARRIVALS_BY_HOUR.reduce((s, w) => s + w, 0);
  const arrivalMinute = () => {
    let pick = random.next() * weights;
    let hour = 0;
    while (pick >= ARRIVALS_BY_HOUR[hour]) pick -= ARRIVALS_BY_HOUR[hour++];
    return hour * 60 + random.next() * 60;
  };
  const visits: DayVisit[] = [];
  for (const centerId of centers) {
    for (let i = 0; i < options.visitsPerCenter; i++) {
      const checkInMinute = arrivalMinute();
      const who = random.next();
      let visitor: DayVisitor | undefined;
      let expectedPlan: PartnerPlan | undefined;
      if (who < 0.6) {
        const member = random.pick(roster);
        visitor = { memberId: random.chance(0.3) ? member.cin : member.memberId, selfReportedPlan: member.plan };
        expectedPlan = feedPlanOf(member);
      } else if (who < 0.7) {
        const plan: PartnerPlan = random.chance(0.5) ? 'LA_CARE' : 'BLUE_SHIELD_PROMISE';
        visitor = { memberId: `UNK${String(random.int(1e7)).padStart(7, '0')}`, selfReportedPlan: plan };
        expectedPlan = plan;
      }
      const stay = 20 + random.int(100);
      const checkOutMinute = random.chance(0.9) ? checkInMinute + stay : undefined;
      const visit: DayVisit = {
        index: visits.length,
        centerId,
        visitor,
        expectedPlan,
        purposes: [random.pick(VISIT_PURPOSES)],
        checkInMinute,
        checkOutMinute,
        offlineCheckIn: inOutage(outages, centerId, checkInMinute),
        offlineCheckOut: checkOutMinute !== undefined && inOutage(outages, centerId, checkOutMinute),
      };
      if (random.chance(0.08)) {
        const openMinute = checkInMinute + 2 + random.int(9);
        const assignMinute = openMinute + 3 + random.int(18);
        const closeMinute = assignMinute + 10 + random.int(21);
        const outcome = random.chance(0.1) ? 'ABANDON' : random.pick(HELP_RESOLUTION_OUTCOMES);
        if (!visit.offlineCheckIn && !inOutage(outages, centerId, openMinute))
          visit.help = { caseType: random.pick(HELP_CASE_TYPES), openMinute, assignMinute, closeMinute, outcome };
      }
      if (random.chance(0.05)) {
        const startMinute = checkInMinute + 3 + random.int(5);
        const endMinute = startMinute + 20 + random.int(26);
        const offlineDuring =
          [startMinute, endMinute].some((m) => inOutage(outages, centerId, m)) ||
          outages.some((o) => o.centerId === centerId && o.from >= startMinute && o.from < endMinute);
        if (!visit.offlineCheckIn && !offlineDuring) visit.wifi = { deviceId: macAddress(random), startMinute, endMinute };
      }
      visits.push(visit);
    }
  }

  const actions: DayAction[] = [];
  for (const v of visits) {
    if (!v.offlineCheckIn) actions.push({ kind: 'check-in', minute: v.checkInMinute, visit: v.index });
    if (v.checkOutMinute !== undefined && !v.offlineCheckOut) actions.push({ kind: 'check-out', minute: v.checkOutMinute, visit: v.index });
    if (v.help) {
      actions.push({ kind: 'help-open', minute: v.help.openMinute, visit: v.index });
      actions.push({ kind: 'help-assign', minute: v.help.assignMinute, visit: v.index });
      actions.push({ kind: 'help-close', minute: v.help.closeMinute, visit: v.index });
    }
    if (v.wifi) {
      actions.push({ kind: 'wifi-start', minute: v.wifi.startMinute, visit: v.index });
      for (let m = v.wifi.startMinute + HEARTBEAT_EVERY; m < v.wifi.endMinute; m += HEARTBEAT_EVERY)
        actions.push({ kind: 'wifi-heartbeat', minute: m, visit: v.index });
      actions.push({ kind: 'wifi-end', minute: v.wifi.endMinute, visit: v.index });
    }
  }
  for (const o of outages) actions.push({ kind: 'kiosk-sync', minute: o.to, centerId: o.centerId });
  for (const [plan, minute] of ROSTER_UPLOADS) actions.push({ kind: 'roster-upload', minute, plan });
  for (let m = DASHBOARD_EVERY; m <= OPEN_MINUTES; m += DASHBOARD_EVERY) actions.push({ kind: 'dashboard', minute: m });
  for (let m = FEED_PULL_EVERY; m <= OPEN_MINUTES; m += FEED_PULL_EVERY)
    for (const plan of ['LA_CARE', 'BLUE_SHIELD_PROMISE'] as const) actions.push({ kind: 'feed-pull', minute: m, plan });
  for (const centerId of centers) {
    // Staggered per center, as the staff of different centers do not look at the same second.
    const offset = random.next();
    for (let m = offset * HELP_QUEUE_EVERY; m < OPEN_MINUTES; m += HELP_QUEUE_EVERY) actions.push({ kind: 'help-queue', minute: m, centerId });
    for (let m = offset * WIFI_VIEW_EVERY; m < OPEN_MINUTES; m += WIFI_VIEW_EVERY) actions.push({ kind: 'wifi-view', minute: m, centerId });
  }
  // Stable order: actions due at the same minute keep the order they were made in (a visit's before its successors).
  const ordered = actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => x.a.minute - y.a.minute || x.i - y.i)
    .map(({ a }) => a);
  return { visits, actions: ordered, outages, lastMinute: ordered.length ? ordered[ordered.length - 1].minute : 0 };
}
