import { AttributedPlan, PartnerPlan, publishCount, SMALL_CELL_THRESHOLD, UtilizationSummary, VisitPurpose } from '@crc/contracts';

export interface SummarisedVisit {
  centerId: string;
  plan: AttributedPlan;
  productLine?: string;
  purposes: VisitPurpose[];
}

/**
 * A plan's month: its visits per center, product line and service, and the community visits per
 * center with the plan's share of them. Counts are only ever published through `publishCount`.
 */
export function summarise(plan: PartnerPlan, month: string, visits: Iterable<SummarisedVisit>, sharePercent: number): UtilizationSummary {
  const cells = new Map<string, number>();
  const community = new Map<string, number>();
  let total = 0;
  for (const visit of visits) {
    if (visit.plan === 'COMMUNITY') {
      community.set(visit.centerId, (community.get(visit.centerId) ?? 0) + 1);
      continue;
    }
    if (visit.plan !== plan) continue;
    total++;
    for (const service of visit.purposes) {
      const key = JSON.stringify([visit.centerId, visit.productLine ?? 'UNVERIFIED', service]);
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
  }
  const rows = [...cells.entries()]
    .map(([key, count]) => {
      const [centerId, productLine, service] = JSON.parse(key) as [string, string, string];
      const published = publishCount(count);
      return { centerId, productLine, service, visits: published.count, suppressed: published.suppressed };
    })
    .sort((a, b) => a.centerId.localeCompare(b.centerId) || a.productLine.localeCompare(b.productLine) || a.service.localeCompare(b.service));
  const communityRows = [...community.entries()]
    .map(([centerId, count]) => {
      const published = publishCount(count);
      return {
        centerId,
        visits: published.count,
        suppressed: published.suppressed,
        planShare: published.count === null ? null : Math.round(published.count * sharePercent) / 100,
      };
    })
    .sort((a, b) => a.centerId.localeCompare(b.centerId));
  return {
    plan,
    month,
    rows,
    community: communityRows,
    communitySharePercent: sharePercent,
    totalVisits: publishCount(total).count,
    suppressionThreshold: SMALL_CELL_THRESHOLD,
  };
}
