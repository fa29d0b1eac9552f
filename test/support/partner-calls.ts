import type { PartnerPlan, UtilizationRecord } from '@crc/contracts';
import { devTokens } from '@crc/testing';
import type { TestSystem } from './test-system';

/** A plan's roster upload of these rows, as NDJSON, with the plan's own token. */
export const uploadRosterRows = (system: TestSystem, plan: PartnerPlan, rows: object[], mode: 'MERGE' | 'REPLACE' = 'MERGE') =>
  system
    .api('reporting', devTokens.partner(plan))
    .put(`/v1/partners/${plan}/eligibility?mode=${mode}`, rows.map((row) => JSON.stringify(row)).join('\n'), { 'content-type': 'application/x-ndjson' });

/** The first 1,000 records of a plan's pull feed (enough for one test file's visits). */
export const feedRecords = async (system: TestSystem, plan: PartnerPlan): Promise<UtilizationRecord[]> =>
  (await system.api('reporting', devTokens.partner(plan)).get(`/v1/partners/${plan}/utilization?limit=1000`)).body.items;
