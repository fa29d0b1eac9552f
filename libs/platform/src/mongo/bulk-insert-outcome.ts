const DUPLICATE_KEY = 11000;

/** What became of one document of an unordered bulk insert that failed as a whole. */
export type InsertOutcome = 'inserted' | 'duplicate' | 'failed';

interface WriteErrorLike {
  index?: number;
  code?: number;
  err?: { code?: number };
}

/**
 * Reads the outcome of each document from the error of an unordered `insertMany` of `count`
 * documents, or `undefined` when the error does not say (the outcome is unknown).
 *
 * Only a reply of the store lists per-document write errors, and every document it does not list
 * was inserted. A network error (the store restarted, a connection dropped) comes as the same error
 * class with an empty list: then nothing is known, neither which documents were stored nor which
 * were not, and treating the empty list as "no document failed" loses writes (seen: a feed record
 * reported appended that the store never had). The caller must treat the whole batch as failed.
 */
export function bulkInsertOutcomes(error: unknown, count: number): InsertOutcome[] | undefined {
  const writeErrors = (error as { writeErrors?: WriteErrorLike[] }).writeErrors;
  if (Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => Number.isInteger(e.index) && e.index! >= 0 && e.index! < count)) {
    const outcomes: InsertOutcome[] = Array.from({ length: count }, () => 'inserted');
    for (const e of writeErrors) outcomes[e.index!] = (e.code ?? e.err?.code) === DUPLICATE_KEY ? 'duplicate' : 'failed';
    return outcomes;
  }
  // A lone duplicate-key error without a list (one document, some servers): that document exists.
  if (count === 1 && !Array.isArray(writeErrors) && (error as { code?: number }).code === DUPLICATE_KEY) return ['duplicate'];
  return undefined;
}
