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

/** The profile as the process last wrote it (every 5 s, and when it ends); empty when the file is missing. */
export function readStatementProfile(file: string): ProfileRow[] {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ProfileRow[];
  } catch {
    return [];
  }
}

/** How often a process writes its profile (libs/platform/src/mongo/statement-profile.ts), and a margin: wait this long for a complete snapshot. */
export const STATEMENT_PROFILE_FLUSH_MS = 5500;

/** The statements of a phase of work: the difference between two snapshots of the same process's profile. */
export function statementsBetween(before: ProfileRow[], after: ProfileRow[], count = 4): StatementShare[] {
  const earlier = new Map(before.map((r) => [r.statement, r]));
  const rows = after
    .map((r) => {
      const b = earlier.get(r.statement);
      const statements = r.statements - (b?.statements ?? 0);
      const totalMs = r.totalMs - (b?.totalMs ?? 0);
      return { statement: r.statement, statements, totalMs, meanMs: statements ? Math.round((totalMs / statements) * 10) / 10 : 0 };
    })
    .filter((r) => r.statements > 0);
  return shares(rows, count);
}

/**
 * The statements that took most of a process's store time, from the file its STORE_STATEMENT_PROFILE
 * wrote (libs/platform/src/mongo/statement-profile.ts); empty when the file is missing.
 */
export function topStatements(file: string, count = 4): StatementShare[] {
  return shares(readStatementProfile(file), count);
}

function shares(rows: ProfileRow[], count: number): StatementShare[] {
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
