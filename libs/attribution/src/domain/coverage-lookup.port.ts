import type { Coverage } from '@crc/eligibility';

/** The plans' rosters, as attribution reads them: every coverage span of each identifier (member id or CIN). */
export abstract class CoverageLookupPort {
  abstract findByIdentifiers(identifiers: string[]): Promise<Map<string, Coverage[]>>;
}
