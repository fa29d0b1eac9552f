import { AttributedPlan, VisitPurpose } from '@crc/contracts';
import { DashboardHelpCase, DashboardVisit, DashboardWifiSession, DaySummary, summariseDay } from './dashboard-summary';

/**
 * The dashboard's read model: for each center and service date, one tally holding what each of
 * that day's visits, help cases and Wi-Fi sessions contributes to the dashboard. An entry is
 * replaced whole when its visit (case, session) changes, so applying the same change twice
 * counts it once, and a dashboard read costs the days it shows, never the data kept.
 */
export interface VisitTally {
  plan: AttributedPlan | null;
  purposes: VisitPurpose[];
  /** Epoch milliseconds: the hour chart needs the instant. */
  checkedInAt: number;
  checkedOut: boolean;
}

export interface HelpCaseTally {
  openedAt: number | null;
  closedAt: number | null;
}

export interface WifiSessionTally {
  startedAt: number | null;
  endedAt: number | null;
  durationMinutes: number | null;
}

export interface DayTally {
  centerId: string;
  serviceDate: string;
  visits: Record<string, VisitTally>;
  /**
   * A pseudonym of each visit's member (when one was given), kept apart from the visits so that
   * identity retention can erase it alone; it only tells visits of one visitor apart.
   */
  visitors: Record<string, string>;
  helpCases: Record<string, HelpCaseTally>;
  wifiSessions: Record<string, WifiSessionTally>;
}

export const dayTallyId = (serviceDate: string, centerId: string): string => `${serviceDate}|${centerId}`;

export const monthOf = (serviceDate: string): string => serviceDate.slice(0, 7);

/**
 * How to read a range's tallies, each read an equality a store serves from an index: a month the
 * range covers whole by its month, the days of a month it covers in part one by one (a store
 * returns every document a read matches, so reading a month for one day would cost the month).
 */
export function tallyReadsFor(from: string, to: string): Array<{ month: string } | { serviceDate: string }> {
  const reads: Array<{ month: string } | { serviceDate: string }> = [];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let cursor = Date.parse(`${from}T00:00:00Z`); cursor <= last;) {
    const date = day(cursor);
    const monthStart = date.endsWith('-01');
    const nextMonth = Date.UTC(new Date(cursor).getUTCFullYear(), new Date(cursor).getUTCMonth() + 1, 1);
    if (monthStart && nextMonth - 86_400_000 <= last) {
      reads.push({ month: monthOf(date) });
      cursor = nextMonth;
    } else {
      reads.push({ serviceDate: date });
      cursor += 86_400_000;
    }
  }
  return reads;
}

/** Ids become field names in a tally: dots and dollars would read as paths and operators. */
export function tallyKey(id: string): string {
  return id.replace(/[%.$]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface TalliedVisitRecord {
  _id: string;
  centerId: string;
  serviceDate: string;
  checkInSeen?: boolean;
  checkedInAt?: Date;
  checkedOutAt?: Date;
  purposes?: VisitPurpose[];
  memberId?: string;
  attribution?: { plan: AttributedPlan };
}

/** What a visit contributes; undefined until its check-in has arrived (the dashboard counts check-ins). */
export function visitTallyOf(record: TalliedVisitRecord): VisitTally | undefined {
  if (!record.checkInSeen || !record.checkedInAt) return undefined;
  return {
    plan: record.attribution?.plan ?? null,
    purposes: record.purposes ?? [],
    checkedInAt: new Date(record.checkedInAt).getTime(),
    checkedOut: !!record.checkedOutAt,
  };
}

const millis = (date: Date | undefined): number | null => (date ? new Date(date).getTime() : null);

export function helpCaseTallyOf(record: { openedAt?: Date; closedAt?: Date }): HelpCaseTally {
  return { openedAt: millis(record.openedAt), closedAt: millis(record.closedAt) };
}

export function wifiSessionTallyOf(record: { startedAt?: Date; endedAt?: Date; durationMinutes?: number }): WifiSessionTally {
  return { startedAt: millis(record.startedAt), endedAt: millis(record.endedAt), durationMinutes: record.durationMinutes ?? null };
}

const dateOf = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

/** What a center's day adds to the dashboard, from its tally (written beside it, read instead of it). */
export function daySummaryOf(tally: DayTally): DaySummary {
  return summariseDay({ centerId: tally.centerId, serviceDate: tally.serviceDate, ...dashboardFactsOf([tally]) });
}

/** The visits, help cases and Wi-Fi sessions of tallies. */
export function dashboardFactsOf(tallies: DayTally[]): { visits: DashboardVisit[]; helpCases: DashboardHelpCase[]; wifiSessions: DashboardWifiSession[] } {
  const visits: DashboardVisit[] = [];
  const helpCases: DashboardHelpCase[] = [];
  const wifiSessions: DashboardWifiSession[] = [];
  for (const tally of tallies) {
    for (const [key, visit] of Object.entries(tally.visits ?? {})) {
      visits.push({
        centerId: tally.centerId,
        serviceDate: tally.serviceDate,
        plan: visit.plan ?? undefined,
        purposes: visit.purposes,
        memberId: tally.visitors?.[key],
        checkedInAt: new Date(visit.checkedInAt),
        checkedOut: visit.checkedOut,
      });
    }
    for (const c of Object.values(tally.helpCases ?? {}))
      helpCases.push({ centerId: tally.centerId, openedAt: dateOf(c.openedAt), closedAt: dateOf(c.closedAt) });
    for (const s of Object.values(tally.wifiSessions ?? {})) {
      wifiSessions.push({
        centerId: tally.centerId,
        startedAt: dateOf(s.startedAt),
        endedAt: dateOf(s.endedAt),
        durationMinutes: s.durationMinutes ?? undefined,
      });
    }
  }
  return { visits, helpCases, wifiSessions };
}
