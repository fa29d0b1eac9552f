/**
 * The one date-time and the one date every route and event accepts, parsed strictly: a value that
 * passes here always becomes a valid Date, so a handler can never fail on one (no 500s, no batch
 * item that is retried for ever).
 *
 * - date-time: RFC 3339 with a zone, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` or `…±HH:MM` (upper-case
 *   `T` and `Z`, 1 to 9 fraction digits, no leap second);
 * - date: `YYYY-MM-DD`.
 * Both calendar-valid: `2026-02-29` and `2026-13-01` are refused, as are ordinal (`2026-335`) and
 * week (`2026-W49-2`) dates, which ISO 8601 allows and `Date` cannot read.
 */
export const DATE_TIME_FORMAT = 'YYYY-MM-DDTHH:MM:SS(.sss)Z or YYYY-MM-DDTHH:MM:SS(.sss)±HH:MM (RFC 3339)';
export const DATE_FORMAT = 'YYYY-MM-DD';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A real day of the calendar as `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A real instant as RFC 3339 with a zone (see above). */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const [, date, hour, minute, second, offsetHour, offsetMinute] = match;
  if (!isCalendarDate(date) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  if (offsetHour !== undefined && (Number(offsetHour) > 23 || Number(offsetMinute) > 59)) return false;
  return Number.isFinite(Date.parse(value));
}
