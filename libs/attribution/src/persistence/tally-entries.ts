import { ATTRIBUTED_PLANS, AttributedPlan, VISIT_PURPOSES, VisitPurpose } from '@crc/contracts';
import type { DayTally, HelpCaseTally, VisitTally, WifiSessionTally } from '../domain/dashboard-tally';

/**
 * How a tally's entries are stored: one short string each (`|` between fields), not a nested
 * document. FerretDB rewrites a tally whole on every change and its cost follows the number of
 * fields it converts: a 900-visit tally with object entries took 191 ms a write, with string
 * entries 73 ms (measured, docs/store.md). Entries written as objects before are still read.
 */
export type StoredEntry<T> = T | string;

export interface StoredDayTally {
  centerId: string;
  serviceDate: string;
  visits?: Record<string, StoredEntry<VisitTally>>;
  visitors?: Record<string, string>;
  helpCases?: Record<string, StoredEntry<HelpCaseTally>>;
  wifiSessions?: Record<string, StoredEntry<WifiSessionTally>>;
}

const NO_PLAN = '-';
const CHECKED_OUT = 'out';
const STILL_IN = 'in';

const instant = (ms: number | null): string => (ms === null ? '' : String(ms));

/** `<plan or ->|<purpose,purpose>|<checked in, epoch ms>|<in or out>` */
export function encodeVisitTally(tally: VisitTally): string {
  return [tally.plan ?? NO_PLAN, tally.purposes.join(','), String(tally.checkedInAt), tally.checkedOut ? CHECKED_OUT : STILL_IN].join('|');
}

/** `<opened, epoch ms or empty>|<closed, epoch ms or empty>` */
export function encodeHelpCaseTally(tally: HelpCaseTally): string {
  return [instant(tally.openedAt), instant(tally.closedAt)].join('|');
}

/** `<started>|<ended>|<minutes>`, each empty when unknown. */
export function encodeWifiSessionTally(tally: WifiSessionTally): string {
  return [instant(tally.startedAt), instant(tally.endedAt), tally.durationMinutes === null ? '' : String(tally.durationMinutes)].join('|');
}

/**
 * A day summary's visitor pseudonyms (hex) as stored: one string, a space between keys. An array
 * of 900 keys made each summary write 22 ms on FerretDB, one string 6 ms (measured). Arrays
 * written before are still read.
 */
export type StoredVisitorKeys = string | string[];

export const encodeVisitorKeys = (keys: string[]): string => keys.join(' ');

export function decodeVisitorKeys(stored: StoredVisitorKeys | undefined): string[] | undefined {
  if (stored === undefined || stored === null) return undefined;
  if (Array.isArray(stored)) return stored;
  return stored === '' ? [] : stored.split(' ');
}

/** A tally entry this code cannot read: the tallies are written only by this repository, so a bug or a foreign writer. */
export class UnreadableTallyEntryError extends Error {
  constructor(kind: string, entry: string) {
    super(`unreadable dashboard ${kind} tally entry ${JSON.stringify(entry)}`);
  }
}

function fields(kind: string, entry: string, count: number): string[] {
  const parts = entry.split('|');
  if (parts.length !== count) throw new UnreadableTallyEntryError(kind, entry);
  return parts;
}

function optionalNumber(kind: string, entry: string, field: string): number | null {
  if (field === '') return null;
  const value = Number(field);
  if (!Number.isFinite(value)) throw new UnreadableTallyEntryError(kind, entry);
  return value;
}

export function decodeVisitTally(entry: StoredEntry<VisitTally>): VisitTally {
  if (typeof entry !== 'string') return entry;
  const [plan, purposes, checkedInAt, out] = fields('visit', entry, 4);
  const purposeList = purposes === '' ? [] : purposes.split(',');
  const checkedIn = optionalNumber('visit', entry, checkedInAt);
  if (
    (plan !== NO_PLAN && !(ATTRIBUTED_PLANS as readonly string[]).includes(plan)) ||
    !purposeList.every((p) => (VISIT_PURPOSES as readonly string[]).includes(p)) ||
    checkedIn === null ||
    (out !== CHECKED_OUT && out !== STILL_IN)
  )
    throw new UnreadableTallyEntryError('visit', entry);
  return {
    plan: plan === NO_PLAN ? null : (plan as AttributedPlan),
    purposes: purposeList as VisitPurpose[],
    checkedInAt: checkedIn,
    checkedOut: out === CHECKED_OUT,
  };
}

export function decodeHelpCaseTally(entry: StoredEntry<HelpCaseTally>): HelpCaseTally {
  if (typeof entry !== 'string') return entry;
  const [openedAt, closedAt] = fields('help case', entry, 2);
  return { openedAt: optionalNumber('help case', entry, openedAt), closedAt: optionalNumber('help case', entry, closedAt) };
}

export function decodeWifiSessionTally(entry: StoredEntry<WifiSessionTally>): WifiSessionTally {
  if (typeof entry !== 'string') return entry;
  const [startedAt, endedAt, minutes] = fields('Wi-Fi session', entry, 3);
  return {
    startedAt: optionalNumber('Wi-Fi session', entry, startedAt),
    endedAt: optionalNumber('Wi-Fi session', entry, endedAt),
    durationMinutes: optionalNumber('Wi-Fi session', entry, minutes),
  };
}

const decodeAll = <T>(entries: Record<string, StoredEntry<T>> | undefined, decode: (entry: StoredEntry<T>) => T): Record<string, T> =>
  Object.fromEntries(Object.entries(entries ?? {}).map(([key, entry]) => [key, decode(entry)]));

/** A stored tally as the domain reads it (domain/dashboard-tally.ts). */
export function dayTallyOf(stored: StoredDayTally): DayTally {
  return {
    centerId: stored.centerId,
    serviceDate: stored.serviceDate,
    visits: decodeAll(stored.visits, decodeVisitTally),
    visitors: stored.visitors ?? {},
    helpCases: decodeAll(stored.helpCases, decodeHelpCaseTally),
    wifiSessions: decodeAll(stored.wifiSessions, decodeWifiSessionTally),
  };
}
