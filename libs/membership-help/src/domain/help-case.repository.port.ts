import type { OutboxEntry } from '@crc/platform';
import { HelpCase, HelpCaseNote } from './help-case';

export interface StoredHelpCase {
  helpCase: HelpCase;
  version: number;
  appliedOperations: string[];
  requestFingerprint?: string;
}

/** What a decision on a stored case asks to be written (nothing, when it only answers). */
export interface CaseWrite<R> {
  result: R;
  write?: { helpCase: HelpCase; events: OutboxEntry[]; operationId: string; addedNote?: HelpCaseNote };
}

/**
 * Where help cases are kept, as the use cases need them. A write stores the change and the events
 * announcing it together, and sees them published (the aggregate store behind it does both).
 * Also the injection token: Nest resolves an abstract class like any other.
 */
export abstract class HelpCaseRepositoryPort {
  /** `exists` for a retried request: nothing is written. */
  abstract insert(helpCase: HelpCase, events: OutboxEntry[], meta: { openedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'>;
  abstract findAtCenter(centerId: string, caseId: string): Promise<StoredHelpCase | undefined>;
  /** Lets `decide` work out a change of the stored case and writes it; a lost race with another writer decides again. */
  abstract modify<R>(centerId: string, caseId: string, decide: (stored: StoredHelpCase | undefined) => CaseWrite<R>): Promise<R>;
  /** The center's queue: open and in-progress cases, oldest first, without notes. */
  abstract listQueue(centerId: string, limit: number): Promise<HelpCase[]>;
}
