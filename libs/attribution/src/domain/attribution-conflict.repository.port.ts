import { PartnerPlan } from '@crc/contracts';
import { Attribution } from './attribution-rules';

/** A visit whose conflict state changed, as the attribution use case saw it. */
export interface ConflictChange {
  visitId: string;
  centerId: string;
  serviceDate: string;
  attribution: Attribution;
  /** Whether the visit was known to be out of conflict before (then the conflict begins now). */
  begins: boolean;
}

/** The operations review queue of rule 2's conflicts, as the attribution use cases need it. */
export abstract class AttributionConflictRepositoryPort {
  /** The plan operations chose, of each of these visits they resolved. */
  abstract resolutionsOf(visitIds: string[]): Promise<Map<string, { plan: PartnerPlan }>>;
  /** Puts visits in the queue, or takes them out, as their conflicts began or ended. */
  abstract record(changes: ConflictChange[]): Promise<void>;
}
