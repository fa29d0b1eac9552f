import { SelfReportedPlan, VisitPurpose } from '@crc/contracts';
import { Attribution } from './attribution-rules';
import { EventFacts } from './event-facts';

/** Reporting's record of a visit, joined from the events of every service, as attribution reads it. */
export interface VisitRecord {
  _id: string;
  centerId: string;
  serviceDate: string;
  /** False until the check-in event itself has arrived (a check-out may come first). */
  checkInSeen: boolean;
  checkedInAt?: Date;
  checkedOutAt?: Date;
  purposes: VisitPurpose[];
  /** PHI; erased after the retention period. */
  memberId?: string;
  selfReportedPlan?: SelfReportedPlan;
  identityErased?: boolean;
  /** The current attribution, a copy of the ledger's for the dashboards. */
  attribution?: Attribution & { attributedAt: Date };
}

/** Computes, from the records a batch changed, fields to write with the facts (their attribution). */
export type DecorateRecords = (changed: VisitRecord[], created: ReadonlySet<string>) => Promise<Map<string, Record<string, unknown>>>;

/**
 * Where visit records are kept, as the attribution use cases need them. Also the injection token:
 * Nest resolves an abstract class like any other.
 */
export abstract class VisitRecordRepositoryPort {
  /**
   * Applies a batch's facts, each event once whatever the order (a redelivered event changes
   * nothing); `decorate` adds fields computed from the changed records, written in the same write;
   * `created` names the records the batch created. Returns every touched record as it now is.
   */
  abstract apply(facts: EventFacts[], decorate?: DecorateRecords): Promise<Map<string, VisitRecord>>;
  /** The records that exist of these visits. */
  abstract getMany(visitIds: string[]): Promise<VisitRecord[]>;
  /** Keeps the record's copy of the current attribution. */
  abstract setAttribution(record: VisitRecord, attribution: Attribution): Promise<void>;
}
