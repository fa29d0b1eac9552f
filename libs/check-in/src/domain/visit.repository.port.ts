import type { OutboxEntry } from '@crc/platform';
import { Visit } from './visit';

export interface StoredVisit {
  visit: Visit;
  requestFingerprint?: string;
  checkOutOperationId?: string;
}

/**
 * Where visits are kept, as the use cases need them. A write stores the change and the events
 * announcing it together, and sees them published (the aggregate store behind it does both).
 * Also the injection token: Nest resolves an abstract class like any other.
 */
export abstract class VisitRepositoryPort {
  /** `exists` when a visit with this id is already stored (a retried request): nothing is written. */
  abstract insert(visit: Visit, events: OutboxEntry[], meta: { kioskCredentialId: string; requestFingerprint: string }): Promise<'inserted' | 'exists'>;
  /** Closes the visit with its events, only if it is still open (of two racing check-outs one wins). */
  abstract close(visit: Visit, events: OutboxEntry[], operationId: string): Promise<'closed' | 'not-open'>;
  abstract findAtCenter(centerId: string, visitId: string): Promise<StoredVisit | undefined>;
  /** Visits still open on a service date, oldest first. */
  abstract listOpen(centerId: string, serviceDate: string, limit: number): Promise<Visit[]>;
}
