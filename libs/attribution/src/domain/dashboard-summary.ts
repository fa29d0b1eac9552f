import { AttributedPlan, DashboardSummary, DashboardTile, PartnerPlan, SERVICE_TIME_ZONE, VISIT_PURPOSES, VisitPurpose } from '@crc/contracts';

export interface DashboardVisit {
  centerId: string;
  serviceDate: string;
  plan?: AttributedPlan;
  purposes: VisitPurpose[];
  /** Only to count unique visitors; never leaves this function. */
  memberId?: string;
  checkedInAt?: Date;
  checkedOut: boolean;
}

export interface DashboardHelpCase {
  centerId: string;
  openedAt?: Date;
  closedAt?: Date;
}

export interface DashboardWifiSession {
  centerId: string;
  startedAt?: Date;
  endedAt?: Date;
  durationMinutes?: number;
}

/**
 * What one center's service date adds to the dashboard: counters, and what cannot be added up
 * (visitor pseudonyms for unique visitors, resolution times for the median, Wi-Fi sessions in
 * progress whose minutes grow with the clock). Small whatever the data kept; the dashboard reads
 * these, one per center and day of its range.
 */
export interface DaySummary {
  centerId: string;
  serviceDate: string;
  visits: number;
  visitsPerPlan: Record<AttributedPlan, number>;
  visitsPerService: Record<VisitPurpose, number>;
  /** 24 counts, by hour of check-in in the service time zone. */
  visitsPerHour: number[];
  /** Visits not checked out (open now, when the day is today). */
  openVisits: number;
  /** Distinct pseudonyms of the day's members; erased by identity retention. */
  visitorKeys?: string[];
  /** Visits without a member id: each its own visitor. */
  anonymousVisits: number;
  /** This center and day alone: what counts when the pseudonyms are erased. */
  uniqueVisitors: number;
  helpBacklog: number;
  resolutionMinutes: number[];
  /** Minutes of sessions that ended. */
  wifiMinutes: number;
  /** Start (epoch ms) of each session in progress. */
  wifiInProgressSince: number[];
}

export interface DashboardInput {
  from: string;
  to: string;
  today: string;
  now: Date;
  centers: Array<{ centerId: string; name: string }>;
  days: DaySummary[];
  communityShares: Record<PartnerPlan, number>;
}

const hourFormat = new Intl.DateTimeFormat('en-US', { timeZone: SERVICE_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One center's service date, from its visits, help cases and Wi-Fi sessions. */
export function summariseDay(day: {
  centerId: string;
  serviceDate: string;
  visits: DashboardVisit[];
  helpCases: DashboardHelpCase[];
  wifiSessions: DashboardWifiSession[];
}): DaySummary {
  const { visits, helpCases, wifiSessions } = day;
  const visitorKeys = [...new Set(visits.flatMap((v) => (v.memberId ? [v.memberId] : [])))].sort();
  const anonymousVisits = visits.filter((v) => !v.memberId).length;
  const visitsPerHour = Array.from({ length: 24 }, () => 0);
  for (const v of visits) if (v.checkedInAt) visitsPerHour[Number(hourFormat.format(v.checkedInAt)) % 24]++;
  const perPlan = (plan: AttributedPlan) => visits.filter((v) => v.plan === plan).length;
  return {
    centerId: day.centerId,
    serviceDate: day.serviceDate,
    visits: visits.length,
    visitsPerPlan: { LA_CARE: perPlan('LA_CARE'), BLUE_SHIELD_PROMISE: perPlan('BLUE_SHIELD_PROMISE'), COMMUNITY: perPlan('COMMUNITY') },
    visitsPerService: Object.fromEntries(VISIT_PURPOSES.map((p) => [p, visits.filter((v) => v.purposes.includes(p)).length])) as Record<VisitPurpose, number>,
    visitsPerHour,
    openVisits: visits.filter((v) => !v.checkedOut).length,
    visitorKeys,
    anonymousVisits,
    uniqueVisitors: visitorKeys.length + anonymousVisits,
    helpBacklog: helpCases.filter((c) => !c.closedAt).length,
    resolutionMinutes: helpCases.filter((c) => c.openedAt && c.closedAt).map((c) => (c.closedAt!.getTime() - c.openedAt!.getTime()) / 60_000),
    wifiMinutes: wifiSessions.reduce((n, s) => n + (s.durationMinutes ?? 0), 0),
    wifiInProgressSince: wifiSessions.filter((s) => s.startedAt && !s.endedAt).map((s) => s.startedAt!.getTime()),
  };
}

const sum = (values: number[]) => values.reduce((n, v) => n + v, 0);

function tile(input: DashboardInput, days: DaySummary[]): DashboardTile {
  // Pseudonyms tell one visitor's visits apart across centers and days; a day whose pseudonyms
  // retention erased adds its own count.
  const members = new Set(days.flatMap((d) => d.visitorKeys ?? []));
  const uniqueVisitors = members.size + sum(days.map((d) => (d.visitorKeys ? d.anonymousVisits : d.uniqueVisitors)));
  const perPlan = (plan: AttributedPlan) => sum(days.map((d) => d.visitsPerPlan[plan] ?? 0));
  const inProgress = days.flatMap((d) => d.wifiInProgressSince);
  const wifiMinutes = sum(days.map((d) => d.wifiMinutes)) + sum(inProgress.map((since) => Math.max(0, Math.round((input.now.getTime() - since) / 60_000))));
  const resolved = days.flatMap((d) => d.resolutionMinutes);
  const community = perPlan('COMMUNITY');
  const share = (plan: PartnerPlan) => Math.round(community * input.communityShares[plan]) / 100;
  return {
    visits: sum(days.map((d) => d.visits)),
    uniqueVisitors,
    visitsPerPlan: { LA_CARE: perPlan('LA_CARE'), BLUE_SHIELD_PROMISE: perPlan('BLUE_SHIELD_PROMISE'), COMMUNITY: community },
    visitsPerService: Object.fromEntries(VISIT_PURPOSES.map((p) => [p, sum(days.map((d) => d.visitsPerService[p] ?? 0))])),
    visitsPerHour: Array.from({ length: 24 }, (_, hour) => ({ hour, count: sum(days.map((d) => d.visitsPerHour[hour] ?? 0)) })),
    openVisitsNow: sum(days.filter((d) => d.serviceDate === input.today).map((d) => d.openVisits)),
    wifi: { sessionsInProgress: inProgress.length, minutes: wifiMinutes },
    membershipHelp: {
      backlog: sum(days.map((d) => d.helpBacklog)),
      medianResolutionMinutes: resolved.length === 0 ? null : Math.round(median(resolved)),
    },
    sharedCost: { communityVisits: community, LA_CARE: share('LA_CARE'), BLUE_SHIELD_PROMISE: share('BLUE_SHIELD_PROMISE') },
  };
}

/**
 * The operations view, network-wide and per center: exact counts, no member identifiers. Operations
 * are the centers' own staff (docs/domain.md, Privacy), so nothing is suppressed here; these figures
 * must not leave operations as they are: anything published goes through complementary
 * suppression (complementary-suppression.ts).
 */
export function summariseDashboard(input: DashboardInput): DashboardSummary {
  return {
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    network: tile(input, input.days),
    centers: input.centers.map((c) => ({
      centerId: c.centerId,
      name: c.name,
      ...tile(
        input,
        input.days.filter((d) => d.centerId === c.centerId),
      ),
    })),
  };
}
