/** The driver's errors for a store it cannot reach, or that dropped the connection mid-operation. */
const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoWaitQueueTimeoutError',
  // Ours: an insert the store left unanswered (InsertBatcher).
  'InsertOutcomeUnknownError',
]);

/**
 * Whether an error means the store could not be reached or the outcome of a write is unknown (a
 * connection dropped: a bulk write then fails without naming any document). Such a request may
 * succeed when tried again (with the same Idempotency-Key, where the route takes one); it is not a
 * fault of ours to investigate but an outage to ride out, so it is answered 503, not 500.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const candidate = current as { name?: unknown; hasErrorLabel?: (label: string) => boolean; cause?: unknown };
    if (typeof candidate.name === 'string' && UNREACHABLE.has(candidate.name)) return true;
    if (candidate.name === 'MongoBulkWriteError' && unknownOutcome(current)) return true;
    if (typeof candidate.hasErrorLabel === 'function' && (candidate.hasErrorLabel('ResetPool') || candidate.hasErrorLabel('RetryableWriteError'))) return true;
    current = candidate.cause;
  }
  return false;
}

/** A bulk write error that names no document and carries no code: the store never answered (see bulkInsertOutcomes). */
function unknownOutcome(error: object): boolean {
  const { writeErrors, code } = error as { writeErrors?: unknown; code?: unknown };
  return code === undefined && (!Array.isArray(writeErrors) || writeErrors.length === 0);
}
