import {
  AttributedPlan,
  DashboardSummary,
  DashboardTile,
  PartnerPlan,
  SERVICE_TIME_ZONE,
  VISIT_PURPOSES,
  VisitPurpose,
} from '@crc/contracts';

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

export interface DashboardInput {
  from: string;
  to: string;
  today: string;
  now: Date;
  centers: Array<{ centerId: string; name: string }>;
  visits: DashboardVisit[];
  helpCases: DashboardHelpCase[];
  wifiSessions: DashboardWifiSession[];
  communityShares: Record<PartnerPlan, number>;
}

const hourFormat = new Intl.DateTimeFormat('en-US', { timeZone: SERVICE_TIME_ZONE, hour: '2-digit', hourCycle: 'h23' });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function tile(input: DashboardInput, visits: DashboardVisit[], helpCases: DashboardHelpCase[], sessions: DashboardWifiSession[]): DashboardTile {
  const members = new Set(visits.filter((v) => v.memberId).map((v) => v.memberId));
  const anonymous = visits.filter((v) => !v.memberId).length;
  const perPlan = (plan: AttributedPlan) => visits.filter((v) => v.plan === plan).length;
  const perHour = Array.from({ length: 24 }, () => 0);
  for (const v of visits) if (v.checkedInAt) perHour[Number(hourFormat.format(v.checkedInAt)) % 24]++;
  const inProgress = sessions.filter((s) => s.startedAt && !s.endedAt);
  const wifiMinutes =
    sessions.reduce((n, s) => n + (s.durationMinutes ?? 0), 0) +
    inProgress.reduce((n, s) => n + Math.max(0, Math.round((input.now.getTime() - s.startedAt!.getTime()) / 60_000)), 0);
  const resolved = helpCases.filter((c) => c.openedAt && c.closedAt).map((c) => (c.closedAt!.getTime() - c.openedAt!.getTime()) / 60_000);
  const community = visits.filter((v) => v.plan === 'COMMUNITY').length;
  const share = (plan: PartnerPlan) => Math.round(community * input.communityShares[plan]) / 100;
  return {
    visits: visits.length,
    uniqueVisitors: members.size + anonymous,
    visitsPerPlan: { LA_CARE: perPlan('LA_CARE'), BLUE_SHIELD_PROMISE: perPlan('BLUE_SHIELD_PROMISE'), COMMUNITY: perPlan('COMMUNITY') },
    visitsPerService: Object.fromEntries(VISIT_PURPOSES.map((p) => [p, visits.filter((v) => v.purposes.includes(p)).length])),
    visitsPerHour: perHour.map((count, hour) => ({ hour, count })),
    openVisitsNow: visits.filter((v) => v.serviceDate === input.today && !v.checkedOut).length,
    wifi: { sessionsInProgress: inProgress.length, minutes: wifiMinutes },
    membershipHelp: {
      backlog: helpCases.filter((c) => !c.closedAt).length,
      medianResolutionMinutes: resolved.length === 0 ? null : Math.round(median(resolved)),
    },
    sharedCost: { communityVisits: community, LA_CARE: share('LA_CARE'), BLUE_SHIELD_PROMISE: share('BLUE_SHIELD_PROMISE') },
  };
}

/**
 * The operations view, network-wide and per center: exact counts, no member identifiers. Operations
 * are the centers' own staff (DOMAIN.md, Privacy), so nothing is suppressed here; these figures
 * must not leave operations as they are: anything published goes through complementary
 * suppression (complementary-suppression.ts).
 */
export function summariseDashboard(input: DashboardInput): DashboardSummary {
  const byCenter = <T extends { centerId: string }>(items: T[], centerId: string) => items.filter((i) => i.centerId === centerId);
  return {
    from: input.from,
    to: input.to,
    generatedAt: input.now.toISOString(),
    network: tile(input, input.visits, input.helpCases, input.wifiSessions),
    centers: input.centers.map((c) => ({
      centerId: c.centerId,
      name: c.name,
      ...tile(input, byCenter(input.visits, c.centerId), byCenter(input.helpCases, c.centerId), byCenter(input.wifiSessions, c.centerId)),
    })),
  };
}
