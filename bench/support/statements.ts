import * as fs from 'node:fs';

export interface StatementShare {
  statement: string;
  statements: number;
  meanMs: number;
  /** Share of the process's summed store time (statements overlap: not a share of wall time). */
  share: number;
}

interface ProfileRow {
  statement: string;
  statements: number;
  totalMs: number;
  meanMs: number;
}

/**
 * The statements that took most of a process's store time, from the file its STORE_STATEMENT_PROFILE
 * wrote (libs/platform/src/mongo/statement-profile.ts); empty when the file is missing.
 */
export function topStatements(file: string, count = 4): StatementShare[] {
  let rows: ProfileRow[];
  try {
    rows = JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileRow[];
  } catch {
    return [];
  }
  const total = rows.reduce((sum, r) => sum + r.totalMs, 0);
  if (total === 0) return [];
  return [...rows]
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, count)
    .map((r) => ({ statement: r.statement, statements: r.statements, meanMs: r.meanMs, share: r.totalMs / total }));
}

/** `find visit_records 24% (31 × 644 ms)`: the top statements in a few words. */
export function describeStatements(top: StatementShare[], count = 2): string {
  return top
    .slice(0, count)
    .map((s) => `\`${s.statement}\` ${Math.round(s.share * 100)}% (${s.statements} × ${s.meanMs} ms)`)
    .join(', ');
}
