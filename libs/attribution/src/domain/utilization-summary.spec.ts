import { VISIT_PURPOSES, VisitPurpose } from '@crc/contracts';
import { feasibleValues, PublishedSummary, solveSummary, solveTwoReads, summaryCellOf } from '@crc/testing';
import { summarise, SummarisedVisit, SummaryGrid } from './utilization-summary';

const many = (n: number, visit: SummarisedVisit) => Array.from({ length: n }, () => visit);
const grid: SummaryGrid = { centerIds: ['crc-el-monte', 'crc-pomona'], productLines: ['MEDI_CAL'] };

describe('summarise', () => {
  const visits: SummarisedVisit[] = [
    ...many(12, { centerId: 'crc-el-monte', plan: 'LA_CARE', productLine: 'MEDI_CAL', purposes: ['EXERCISE_CLASS'] }),
    ...many(3, { centerId: 'crc-el-monte', plan: 'LA_CARE', productLine: 'MEDI_CAL', purposes: ['HEALTH_SCREENING', 'EXERCISE_CLASS'] }),
    ...many(2, { centerId: 'crc-pomona', plan: 'LA_CARE', purposes: ['OTHER'] }),
    ...many(40, { centerId: 'crc-pomona', plan: 'BLUE_SHIELD_PROMISE', productLine: 'MEDICARE', purposes: ['OTHER'] }),
    ...many(25, { centerId: 'crc-el-monte', plan: 'COMMUNITY', purposes: ['TELEHEALTH_WIFI'] }),
    ...many(4, { centerId: 'crc-pomona', plan: 'COMMUNITY', purposes: ['OTHER'] }),
  ];
  const row = (summary: PublishedSummary, centerId: string, productLine: string, service: string) =>
    summary.rows.find((r) => r.centerId === centerId && r.productLine === productLine && r.service === service);

  it('lists the whole grid (centers × product lines and UNVERIFIED × services), suppressing every count below 11, zero included', () => {
    const summary = summarise('LA_CARE', '2026-11', visits, 50, grid);
    expect(summary.rows).toHaveLength(2 * 2 * VISIT_PURPOSES.length);
    expect(row(summary, 'crc-el-monte', 'MEDI_CAL', 'EXERCISE_CLASS')).toEqual({
      centerId: 'crc-el-monte',
      productLine: 'MEDI_CAL',
      service: 'EXERCISE_CLASS',
      visits: 15,
      suppressed: false,
    });
    expect(row(summary, 'crc-el-monte', 'MEDI_CAL', 'HEALTH_SCREENING')).toMatchObject({ visits: null, suppressed: true });
    expect(row(summary, 'crc-pomona', 'UNVERIFIED', 'OTHER')).toMatchObject({ visits: null, suppressed: true });
    // An empty cell looks exactly like a small one.
    expect(row(summary, 'crc-pomona', 'MEDI_CAL', 'NUTRITION_CLASS')).toMatchObject({ visits: null, suppressed: true });
    expect(summary.rows.filter((r) => !r.suppressed)).toHaveLength(1);
  });

  it('lists the same rows whatever the visits', () => {
    const shape = (s: PublishedSummary) => s.rows.map((r) => [r.centerId, r.productLine, r.service]).concat(s.community.map((c) => [c.centerId]));
    expect(shape(summarise('LA_CARE', '2026-11', [], 50, grid))).toEqual(shape(summarise('LA_CARE', '2026-11', visits, 50, grid)));
  });

  it("never shows the other plan's visits, and splits community visits by the plan's share", () => {
    const summary = summarise('LA_CARE', '2026-11', visits, 60, grid);
    expect(summary.rows.some((r) => r.productLine === 'MEDICARE')).toBe(false);
    expect(summary.community).toEqual([
      { centerId: 'crc-el-monte', visits: 25, suppressed: false, planShare: 15 },
      { centerId: 'crc-pomona', visits: null, suppressed: true, planShare: null },
    ]);
  });

  it('suppresses a total whenever a cell it covers is suppressed, and shows it when none is', () => {
    const summary = summarise('LA_CARE', '2026-11', visits, 50, grid);
    expect(summary.totalVisits).toBeNull();
    expect(summary.communityTotal).toEqual({ visits: null, suppressed: true, planShare: null });

    const busy = summarise('LA_CARE', '2026-11', [...visits, ...many(20, { centerId: 'crc-pomona', plan: 'COMMUNITY', purposes: ['OTHER'] })], 50, grid);
    expect(busy.communityTotal).toEqual({ visits: 49, suppressed: false, planShare: 24.5 });

    const full: SummarisedVisit[] = grid.centerIds.flatMap((centerId) =>
      [undefined, 'MEDI_CAL'].flatMap((productLine) =>
        VISIT_PURPOSES.flatMap((p) => many(11, { centerId, plan: 'LA_CARE' as const, productLine, purposes: [p] })),
      ),
    );
    expect(summarise('LA_CARE', '2026-11', full, 50, grid).totalVisits).toBe(full.length);
  });

  it('keeps rows for a product line or center outside the reference data', () => {
    const summary = summarise(
      'LA_CARE',
      '2026-11',
      many(12, { centerId: 'crc-retired', plan: 'LA_CARE', productLine: 'OLD_LINE', purposes: ['OTHER'] }),
      50,
      grid,
    );
    expect(row(summary, 'crc-retired', 'OLD_LINE', 'OTHER')).toMatchObject({ visits: 12 });
    expect(row(summary, 'crc-el-monte', 'OLD_LINE', 'OTHER')).toMatchObject({ suppressed: true });
  });
});

/** A deterministic pseudo-random generator, so a failure reproduces. */
function random(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

const small: SummaryGrid = { centerIds: ['crc-a', 'crc-b', 'crc-c'], productLines: ['MEDI_CAL'] };
const LINES = [undefined, 'MEDI_CAL'];

/** Visits of one service each: then the plan's total is exactly the sum of its cells, the strongest reading for an attacker. */
function randomMonth(seed: number, maxPerCell: number, minPerCell = 0): SummarisedVisit[] {
  const next = random(seed);
  const visits: SummarisedVisit[] = [];
  for (const centerId of small.centerIds) {
    visits.push(...many(minPerCell + next(maxPerCell - minPerCell + 1), { centerId, plan: 'COMMUNITY', purposes: ['OTHER'] }));
    for (const productLine of LINES) {
      for (const purpose of VISIT_PURPOSES)
        visits.push(...many(minPerCell + next(maxPerCell - minPerCell + 1), { centerId, plan: 'LA_CARE', productLine, purposes: [purpose] }));
    }
  }
  return visits;
}

/** Every kind of single visit that could happen next, with the cells it adds one to. */
function possibleNextVisits(): Array<{ visit: SummarisedVisit; cells: string[] }> {
  const result: Array<{ visit: SummarisedVisit; cells: string[] }> = [];
  for (const centerId of small.centerIds) {
    result.push({ visit: { centerId, plan: 'COMMUNITY', purposes: ['OTHER'] }, cells: [summaryCellOf.community(centerId)] });
    for (const productLine of LINES) {
      for (const purpose of VISIT_PURPOSES) {
        result.push({
          visit: { centerId, plan: 'LA_CARE', productLine, purposes: [purpose] },
          cells: [summaryCellOf.plan(centerId, productLine ?? 'UNVERIFIED', purpose)],
        });
      }
    }
  }
  return result;
}

const monthsToTry = [
  { name: 'sparse (mostly small cells)', max: 14, min: 0 },
  { name: 'dense (a few cells at the threshold)', max: 13, min: 9 },
  { name: 'all large but one', max: 0, min: 0 },
];

describe('complementary suppression, attacked with a solver', () => {
  it('the solver finds a cell that the earlier scheme gave away (the check can fail)', () => {
    // The earlier summary: small cells hidden, the total shown regardless.
    const leaky: PublishedSummary = {
      rows: [
        { centerId: 'crc-a', productLine: 'MEDI_CAL', service: 'OTHER', visits: 12, suppressed: false },
        { centerId: 'crc-a', productLine: 'MEDI_CAL', service: 'EXERCISE_CLASS', visits: null, suppressed: true },
      ],
      community: [],
      communitySharePercent: 50,
      totalVisits: 15,
      suppressionThreshold: 11,
    };
    expect(solveSummary(leaky).get(summaryCellOf.plan('crc-a', 'MEDI_CAL', 'EXERCISE_CLASS'))).toEqual([3]);
    // Two reads, the total shown both times: a suppressed cell going visible gives its neighbour away.
    const before: PublishedSummary = {
      ...leaky,
      rows: [...leaky.rows, { centerId: 'crc-b', productLine: 'MEDI_CAL', service: 'OTHER', visits: null, suppressed: true }],
      totalVisits: 27,
    };
    const after: PublishedSummary = { ...before, rows: [leaky.rows[0], { ...leaky.rows[1], visits: 11, suppressed: false }, before.rows[2]], totalVisits: 28 };
    const solved = solveTwoReads(before, after, new Map([[summaryCellOf.plan('crc-a', 'MEDI_CAL', 'EXERCISE_CLASS'), 1]]));
    expect(solved.second.get(summaryCellOf.plan('crc-b', 'MEDI_CAL', 'OTHER'))).toEqual([5]);
  });

  it('solves equations exactly, not only by intervals', () => {
    // x + y = 10, x - y = 4: intervals alone leave x in 4..10; the search finds x = 7.
    const problem = {
      unknowns: new Map<string, [number, number]>([
        ['x', [0, 10]],
        ['y', [0, 10]],
      ]),
      equations: [
        {
          terms: new Map([
            ['x', 1],
            ['y', 1],
          ]),
          value: 10,
        },
        {
          terms: new Map([
            ['x', 1],
            ['y', -1],
          ]),
          value: 4,
        },
      ],
    };
    expect(feasibleValues(problem, 'x')).toEqual([7]);
  });

  for (const month of monthsToTry) {
    it(`leaves every suppressed cell of one read with at least two possible values: ${month.name}`, () => {
      for (let seed = 1; seed <= 20; seed++) {
        const visits = month.max === 0 ? oneSmallCell(seed) : randomMonth(seed, month.max, month.min);
        const summary = summarise('LA_CARE', '2026-11', visits, 50, small);
        for (const [cell, values] of solveSummary(summary)) {
          expect({ cell, seed, determined: values.length < 2 }).toEqual({ cell, seed, determined: false });
        }
      }
    });

    it(`reveals no suppressed cell between two reads with one more visit between them: ${month.name}`, () => {
      for (let seed = 1; seed <= 6; seed++) {
        const visits = month.max === 0 ? oneSmallCell(seed) : randomMonth(seed, month.max, month.min);
        const first = summarise('LA_CARE', '2026-11', visits, 50, small);
        for (const next of possibleNextVisits()) {
          const second = summarise('LA_CARE', '2026-11', [...visits, next.visit], 50, small);
          const solved = solveTwoReads(first, second, new Map(next.cells.map((c) => [c, 1])));
          for (const [cell, values] of solved.second) {
            expect({ cell, seed, after: next.cells, determined: values.length < 2 }).toEqual({ cell, seed, after: next.cells, determined: false });
          }
          for (const [cell, values] of solved.firstOfStillSuppressed) {
            expect({ cell, seed, before: next.cells, determined: values.length < 2 }).toEqual({ cell, seed, before: next.cells, determined: false });
          }
        }
      }
    });
  }
});

/** Every cell large, except one at 9 or 10 (seeded): the case where one visit turns a total from hidden to shown. */
function oneSmallCell(seed: number): SummarisedVisit[] {
  const visits = randomMonth(seed, 20, 11);
  const next = random(seed * 7 + 3);
  const centerId = small.centerIds[next(small.centerIds.length)];
  const purpose: VisitPurpose = VISIT_PURPOSES[next(VISIT_PURPOSES.length)];
  const keep = 9 + next(2);
  let seen = 0;
  return visits.filter(
    (v) => !(v.centerId === centerId && v.plan === 'LA_CARE' && v.productLine === 'MEDI_CAL' && v.purposes[0] === purpose) || ++seen <= keep,
  );
}
