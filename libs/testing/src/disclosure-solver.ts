/**
 * An attacker's solver for published tables of counts: from everything a reader sees (shown
 * cells, shown totals, the change between two reads) it works out which values each hidden cell
 * can still take. A suppression scheme is sound when no hidden cell is left with a single value.
 *
 * Unknowns are integers in a range; what is published becomes linear equations over them. The
 * solver is exact: interval propagation over the equations, then a backtracking search for a
 * complete integer solution with the cell fixed to each candidate value.
 */

export interface Equation {
  /** Unknown -> coefficient. */
  terms: Map<string, number>;
  value: number;
}

export interface Problem {
  unknowns: Map<string, [min: number, max: number]>;
  equations: Equation[];
}

type Domains = Map<string, [number, number]>;

/** Tightens every unknown's range against every equation until nothing changes; false when no solution is left. */
function propagate(domains: Domains, equations: Equation[]): boolean {
  for (let changed = true; changed;) {
    changed = false;
    for (const { terms, value } of equations) {
      let minSum = 0;
      let maxSum = 0;
      for (const [name, c] of terms) {
        const [lo, hi] = domains.get(name)!;
        minSum += c > 0 ? c * lo : c * hi;
        maxSum += c > 0 ? c * hi : c * lo;
      }
      if (minSum > value || maxSum < value) return false;
      for (const [name, c] of terms) {
        const [lo, hi] = domains.get(name)!;
        const restMin = minSum - (c > 0 ? c * lo : c * hi);
        const restMax = maxSum - (c > 0 ? c * hi : c * lo);
        // c·x lies in [value − restMax, value − restMin]; the rest sums are stale-but-looser within one pass, which is sound.
        const a = (value - restMax) / c;
        const b = (value - restMin) / c;
        const newLo = Math.max(lo, Math.ceil(Math.min(a, b) - 1e-9));
        const newHi = Math.min(hi, Math.floor(Math.max(a, b) + 1e-9));
        if (newLo > newHi) return false;
        if (newLo !== lo || newHi !== hi) {
          domains.set(name, [newLo, newHi]);
          changed = true;
        }
      }
    }
  }
  return true;
}

function satisfiable(domains: Domains, equations: Equation[]): boolean {
  if (!propagate(domains, equations)) return false;
  let branch: string | undefined;
  let width = Infinity;
  for (const { terms } of equations) {
    for (const name of terms.keys()) {
      const [lo, hi] = domains.get(name)!;
      if (hi > lo && hi - lo < width) [branch, width] = [name, hi - lo];
    }
  }
  // Everything in an equation is fixed and propagation held: a solution (unknowns in no equation are free in their range).
  if (branch === undefined) return true;
  const [lo, hi] = domains.get(branch)!;
  for (let v = lo; v <= hi; v++) {
    const next = new Map(domains);
    next.set(branch, [v, v]);
    if (satisfiable(next, equations)) return true;
  }
  return false;
}

/** Every value the unknown takes in some integer solution of the problem. */
export function feasibleValues(problem: Problem, target: string): number[] {
  const range = problem.unknowns.get(target);
  if (!range) throw new Error(`unknown ${target} is not in the problem`);
  // Only the equations connected to the target matter; the rest cannot constrain it.
  const related = connectedEquations(problem.equations, target);
  const values: number[] = [];
  for (let v = range[0]; v <= range[1]; v++) {
    const domains: Domains = new Map(problem.unknowns);
    domains.set(target, [v, v]);
    if (satisfiable(domains, related)) values.push(v);
  }
  return values;
}

function connectedEquations(equations: Equation[], target: string): Equation[] {
  const names = new Set([target]);
  const chosen = new Set<Equation>();
  for (let grew = true; grew;) {
    grew = false;
    for (const equation of equations) {
      if (chosen.has(equation) || ![...equation.terms.keys()].some((n) => names.has(n))) continue;
      chosen.add(equation);
      for (const n of equation.terms.keys()) names.add(n);
      grew = true;
    }
  }
  return [...chosen];
}

// --- A plan's utilization summary, as a reader sees it -------------------------------------------

/** The published shape of `GET /v1/partners/:plan/utilization/summary`, as far as the solver reads it. */
export interface PublishedSummary {
  rows: Array<{ centerId: string; productLine: string; service: string; visits: number | null; suppressed: boolean }>;
  community: Array<{ centerId: string; visits: number | null; suppressed: boolean; planShare: number | null }>;
  communitySharePercent: number;
  totalVisits: number | null;
  communityTotal?: { visits: number | null; suppressed: boolean; planShare: number | null };
  suppressionThreshold: number;
}

export const summaryCellOf = {
  plan: (centerId: string, productLine: string, service: string) => `plan|${centerId}|${productLine}|${service}`,
  community: (centerId: string) => `community|${centerId}`,
};

/**
 * What one read says, as a problem over its cells, with the strongest reading of the totals: the
 * plan's total as the plain sum of its cells (true when every visit has one service), a plan share
 * as its cell times the share. `shift` moves every cell by a known amount: the same cells one
 * known change earlier, to combine two reads.
 */
function summaryConstraints(summary: PublishedSummary, shift: Map<string, number> = new Map()): Problem {
  const unknowns: Problem['unknowns'] = new Map();
  const equations: Equation[] = [];
  const hidden: [number, number] = [0, summary.suppressionThreshold - 1];
  const d = (cell: string) => shift.get(cell) ?? 0;
  const cell = (name: string, visits: number | null) => {
    const range: [number, number] = visits === null ? hidden : [visits, visits];
    unknowns.set(name, [range[0] - d(name), range[1] - d(name)]);
  };
  for (const r of summary.rows) cell(summaryCellOf.plan(r.centerId, r.productLine, r.service), r.visits);
  for (const c of summary.community) {
    const name = summaryCellOf.community(c.centerId);
    cell(name, c.visits);
    if (c.planShare !== null)
      equations.push({
        terms: new Map([[name, summary.communitySharePercent]]),
        value: Math.round(c.planShare * 100) - summary.communitySharePercent * d(name),
      });
  }
  const sum = (names: string[], total: number) =>
    equations.push({ terms: new Map(names.map((n) => [n, 1])), value: total - names.reduce((n, name) => n + d(name), 0) });
  const planCells = summary.rows.map((r) => summaryCellOf.plan(r.centerId, r.productLine, r.service));
  const communityCells = summary.community.map((c) => summaryCellOf.community(c.centerId));
  if (summary.totalVisits !== null) sum(planCells, summary.totalVisits);
  if (summary.communityTotal?.visits != null) sum(communityCells, summary.communityTotal.visits);
  if (summary.communityTotal?.planShare != null) {
    equations.push({
      terms: new Map(communityCells.map((n) => [n, summary.communitySharePercent])),
      value: Math.round(summary.communityTotal.planShare * 100) - communityCells.reduce((n, name) => n + summary.communitySharePercent * d(name), 0),
    });
  }
  return { unknowns, equations };
}

/** Intersects problems over the same unknowns. */
function both(a: Problem, b: Problem): Problem {
  const unknowns: Problem['unknowns'] = new Map();
  for (const [name, [lo, hi]] of a.unknowns) {
    const [lo2, hi2] = b.unknowns.get(name) ?? [lo, hi];
    unknowns.set(name, [Math.max(lo, lo2), Math.min(hi, hi2)]);
  }
  return { unknowns, equations: [...a.equations, ...b.equations] };
}

/** The values each suppressed cell of one read can take, from everything in that read. */
export function solveSummary(summary: PublishedSummary): Map<string, number[]> {
  const problem = summaryConstraints(summary);
  const result = new Map<string, number[]>();
  for (const r of summary.rows) if (r.suppressed) result.set(summaryCellOf.plan(r.centerId, r.productLine, r.service), []);
  for (const c of summary.community) if (c.suppressed) result.set(summaryCellOf.community(c.centerId), []);
  for (const name of result.keys()) result.set(name, feasibleValues(problem, name));
  return result;
}

/**
 * Two reads with a change in between that the reader knows exactly (`change`: cell -> how much it
 * grew; the strongest reader, e.g. one who made that visit): the values each cell suppressed in the
 * second read can take then, and the values each cell suppressed in both reads could take in the first.
 */
export function solveTwoReads(
  first: PublishedSummary,
  second: PublishedSummary,
  change: Map<string, number>,
): { second: Map<string, number[]>; firstOfStillSuppressed: Map<string, number[]> } {
  const problem = both(summaryConstraints(first), summaryConstraints(second, change));
  const suppressedIn = (s: PublishedSummary) =>
    new Set([
      ...s.rows.filter((r) => r.suppressed).map((r) => summaryCellOf.plan(r.centerId, r.productLine, r.service)),
      ...s.community.filter((c) => c.suppressed).map((c) => summaryCellOf.community(c.centerId)),
    ]);
  const before = suppressedIn(first);
  const after = suppressedIn(second);
  const secondValues = new Map<string, number[]>();
  const firstValues = new Map<string, number[]>();
  for (const name of after) {
    const values = feasibleValues(problem, name);
    secondValues.set(
      name,
      values.map((v) => v + (change.get(name) ?? 0)),
    );
    if (before.has(name)) firstValues.set(name, values);
  }
  return { second: secondValues, firstOfStillSuppressed: firstValues };
}
