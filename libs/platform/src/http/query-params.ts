import { DATE_FORMAT, DATE_TIME_FORMAT, isCalendarDate, isDateTime, RequestValidationError } from '@crc/contracts';

/**
 * Query parameters, read once and strictly at the edge, each refusal naming its parameter:
 * a handler gets a real date, a real instant or a whole number, never something `Date` or
 * `Number` would have to guess at (`2026-99-99`, `1e3`, `0x10`, ` 10`).
 */
const invalid = (field: string, problem: string) => new RequestValidationError([{ field, problems: [problem] }]);

/** A calendar date (`YYYY-MM-DD`), or undefined when the parameter is absent. */
export function dateQuery(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isCalendarDate(value)) throw invalid(field, `must be a calendar date as ${DATE_FORMAT}`);
  return value;
}

/** An instant (RFC 3339 with a zone), or undefined when the parameter is absent. */
export function dateTimeQuery(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (!isDateTime(value)) throw invalid(field, `must be a date-time as ${DATE_TIME_FORMAT}`);
  return new Date(value);
}

/** A whole number in decimal digits only, within bounds; `fallback` when absent. */
export function integerQuery(field: string, value: string | undefined, bounds: { min: number; max: number; fallback: number }): number {
  if (value === undefined) return bounds.fallback;
  const problem = `must be a whole number from ${bounds.min} to ${bounds.max}, in decimal digits`;
  if (!/^[0-9]{1,15}$/.test(value)) throw invalid(field, problem);
  const number = Number(value);
  if (number < bounds.min || number > bounds.max) throw invalid(field, problem);
  return number;
}
