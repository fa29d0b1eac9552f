/**
 * What the tests use as member ids, CINs and device addresses. None of it may appear in any
 * service's log (the e2e suite runs the services at info level and scans the whole log).
 */
const PHI_IN_TESTS: Array<[string, RegExp]> = [
  ['plan member id', /\b(LAC|BSP)-?\d{6}\b/g],
  ['Medi-Cal CIN', /\b\d{8}[A-Z]\b/g],
  ['test member id', /\b(LATE\d{4}|SOMEONE\d{2}|OPS-MEMBER-\d|NOTONROSTER\d)\b/g],
  ['MAC address', /\b[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}\b/g],
];

/** Counts per kind of PHI found (never the values themselves: a report must not repeat them). */
export function scanForPhi(text: string): Array<{ what: string; count: number }> {
  return PHI_IN_TESTS.map(([what, pattern]) => ({ what, count: (text.match(pattern) ?? []).length })).filter((f) => f.count > 0);
}
