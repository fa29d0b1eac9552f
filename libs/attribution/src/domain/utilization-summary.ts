import { AttributedPlan, PartnerPlan, PublishedCount, SMALL_CELL_THRESHOLD, UtilizationSummary, VISIT_PURPOSES, VisitPurpose } from '@crc/contracts';
import { publishTable } from './complementary-suppression';

export interface SummarisedVisit {
  centerId: string;
  plan: AttributedPlan;
  productLine?: string;
  purposes: VisitPurpose[];
}

/** The reference data that fixes the summary's grid, whatever the visits. */
export interface SummaryGrid {
  centerIds: readonly string[];
  /** The plan's configured product lines; `UNVERIFIED` (self-reported visits) is always added. */
  productLines: readonly string[];
}

export const UNVERIFIED_PRODUCT_LINE = 'UNVERIFIED';

const planCellKey = (centerId: string, productLine: string, service: string) => JSON.stringify(['plan', centerId, productLine, service]);
const communityCellKey = (centerId: string) => JSON.stringify(['community', centerId]);

/**
 * A plan's month: its visits per center, product line and service, and the community visits per
 * center with the plan's share of them. The counts leave operations, so they go through
 * `publishTable` (complementary suppression): every row of the grid is listed, zeros included,
 * every count below 11 is suppressed, and a total is shown only when none of its cells is.
 */
export function summarise(plan: PartnerPlan, month: string, visits: Iterable<SummarisedVisit>, sharePercent: number, grid: SummaryGrid): UtilizationSummary {
  const centerIds = new Set(grid.centerIds);
  const productLines = new Set([...grid.productLines, UNVERIFIED_PRODUCT_LINE]);
  const planVisits: SummarisedVisit[] = [];
  const community = new Map<string, number>();
  for (const visit of visits) {
    if (visit.plan === 'COMMUNITY') {
      centerIds.add(visit.centerId);
      community.set(visit.centerId, (community.get(visit.centerId) ?? 0) + 1);
    } else if (visit.plan === plan) {
      planVisits.push(visit);
      // Lines or centers outside the reference data (retired since) still count, in rows of their own.
      centerIds.add(visit.centerId);
      productLines.add(visit.productLine ?? UNVERIFIED_PRODUCT_LINE);
    }
  }
  const centers = [...centerIds].sort();
  const lines = [...productLines].sort();
  const cells = new Map<string, number>();
  for (const centerId of centers) {
    cells.set(communityCellKey(centerId), community.get(centerId) ?? 0);
    for (const line of lines) for (const service of VISIT_PURPOSES) cells.set(planCellKey(centerId, line, service), 0);
  }
  for (const visit of planVisits) {
    for (const service of new Set(visit.purposes)) {
      const key = planCellKey(visit.centerId, visit.productLine ?? UNVERIFIED_PRODUCT_LINE, service);
      cells.set(key, cells.get(key)! + 1);
    }
  }
  const planKeys = centers.flatMap((c) => lines.flatMap((l) => VISIT_PURPOSES.map((s) => planCellKey(c, l, s))));
  const communityKeys = centers.map(communityCellKey);
  const communityVisits = [...community.values()].reduce((n, v) => n + v, 0);
  const table = publishTable(cells, [
    // A visit with two services is in two cells but counts once here; a reader may still treat it as their sum.
    { name: 'totalVisits', covers: planKeys, value: planVisits.length },
    { name: 'communityVisits', covers: communityKeys, value: communityVisits },
  ]);
  const shareOf = (published: PublishedCount) => (published.count === null ? null : Math.round(published.count * sharePercent) / 100);
  return {
    plan,
    month,
    rows: centers.flatMap((centerId) =>
      lines.flatMap((productLine) =>
        VISIT_PURPOSES.map((service) => {
          const published = table.cells.get(planCellKey(centerId, productLine, service))!;
          return { centerId, productLine, service, visits: published.count, suppressed: published.suppressed };
        }),
      ),
    ),
    community: centers.map((centerId) => {
      const published = table.cells.get(communityCellKey(centerId))!;
      return { centerId, visits: published.count, suppressed: published.suppressed, planShare: shareOf(published) };
    }),
    communitySharePercent: sharePercent,
    totalVisits: table.margins.totalVisits.count,
    communityTotal: {
      visits: table.margins.communityVisits.count,
      suppressed: table.margins.communityVisits.suppressed,
      planShare: shareOf(table.margins.communityVisits),
    },
    suppressionThreshold: SMALL_CELL_THRESHOLD,
  };
}
