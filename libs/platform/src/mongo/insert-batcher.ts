import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';
import { bulkInsertOutcomes } from './bulk-insert-outcome';

type Outcome = 'inserted' | 'duplicate';

interface Caller {
  resolve: (outcome: Outcome) => void;
  reject: (error: unknown) => void;
  since: number;
}

/** One document on its way, and everyone waiting on it: the first caller, then retries of the same id. */
interface Pending<T> {
  doc: OptionalUnlessRequiredId<T>;
  key?: string;
  callers: Caller[];
}

/**
 * An `insertMany` unanswered this long is given up on: its callers learn that the outcome is
 * unknown (as when a connection drops) and the next batch goes out. Without a bound, one write
 * that never got an answer after the store restarted held every later insert of the process
 * behind it: no check-in was answered for minutes while the kiosks retried.
 */
export const INSERT_ANSWER_TIMEOUT_MS = 15_000;

/**
 * How long a request's insert may wait for its turn before it is refused (`StoreBusyError`, nothing
 * written). A kiosk gives up after about 5 s and retries; work it no longer waits for only makes
 * the queue longer. Measured: after a 12 s store outage under 40 check-ins/s, check-in's queue of
 * visits grew to 9,000 inserts, each waiting longer than the kiosks did, and no kiosk was answered
 * again until the load stopped.
 */
export const REQUEST_INSERT_WAIT_MS = 5_000;

/** The store did not answer an insert in time: its documents may or may not be stored (retry; a stored one is then a duplicate). */
export class InsertOutcomeUnknownError extends Error {
  override readonly name = 'InsertOutcomeUnknownError';
  constructor(collection: string, waitedMs: number) {
    super(`insert into ${collection} unanswered after ${waitedMs} ms; its outcome is unknown`);
  }
}

/** More inserts are waiting than the store takes in time: this one was not sent, nothing was written (retry later). */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(collection: string, reason: string) {
    super(`insert into ${collection} refused, nothing written: ${reason}`);
  }
}

export interface InsertBatcherOptions {
  /** The most documents one `insertMany` carries. */
  maxBatch?: number;
  /**
   * How long a batch waits for more inserts before it goes out: for writes nobody waits on (records
   * of published events), fewer and larger statements leave the store's one write lock to the
   * inserts somebody does wait on.
   */
  lingerMs?: number;
  answerTimeoutMs?: number;
  /**
   * For inserts a request waits on: a caller whose document is still queued after this long is
   * refused with StoreBusyError, and a caller arriving while `maxBatch × 4` documents are queued
   * at once. Absent (consumers, which wait as long as it takes), nobody is refused.
   */
  maxQueueWaitMs?: number;
  /**
   * How many of the latest ids the store confirmed (inserted, or a duplicate) to remember, so that
   * a later insert of one is answered `duplicate` without a write. Only for collections whose
   * documents are not deleted and inserted again under the same id. Why: a request retried after
   * its first attempt was stored sends a duplicate, and FerretDB 1.24 then inserts the whole batch
   * again one document at a time (measured: a batch of 500 took 10-14 s instead of well under one).
   */
  rememberStored?: number;
}

/**
 * Group commit for inserts: inserts that arrive while one `insertMany` is on its way are sent
 * together in the next one. The store commits once per `insertMany` (FerretDB on SQLite syncs its
 * log on every commit, which caps single inserts at a few hundred per second), so under load many
 * requests share one commit; alone, an insert goes out at once. Each caller still learns its own
 * outcome: inserted, or a duplicate key (the document or a unique key already exists).
 *
 * A second insert of an `_id` that is queued or on its way joins the first instead of adding
 * another document: it learns `duplicate` once the first is stored (or exists), or the first's
 * failure. So a client retrying a slow request adds no work for the store, however often it retries.
 */
export class InsertBatcher<T extends Document> {
  private readonly queue: Array<Pending<T>> = [];
  /** Queued and in-flight documents by `_id`, for retries to join. */
  private readonly byKey = new Map<string, Pending<T>>();
  private flushing = false;
  private expiryTimer?: NodeJS.Timeout;
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly answerTimeoutMs: number;
  private readonly maxQueueWaitMs?: number;
  private readonly rememberStored: number;
  /** The latest ids the store confirmed, oldest first (a Map keeps insertion order). */
  private readonly stored = new Map<string, true>();

  constructor(
    private readonly collection: Collection<T>,
    options: InsertBatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 0;
    this.answerTimeoutMs = options.answerTimeoutMs ?? INSERT_ANSWER_TIMEOUT_MS;
    this.maxQueueWaitMs = options.maxQueueWaitMs;
    this.rememberStored = options.rememberStored ?? 0;
  }

  /** Documents queued, not yet sent. */
  get queued(): number {
    return this.queue.length;
  }

  insert(doc: OptionalUnlessRequiredId<T>): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const caller: Caller = { resolve, reject, since: Date.now() };
      const key = keyOf(doc);
      if (key !== undefined && this.stored.has(key)) {
        resolve('duplicate');
        return;
      }
      const earlier = key === undefined ? undefined : this.byKey.get(key);
      if (earlier) {
        earlier.callers.push({ ...caller, resolve: () => resolve('duplicate') });
        return;
      }
      if (this.maxQueueWaitMs !== undefined && this.queue.length >= this.maxBatch * 4) {
        reject(new StoreBusyError(this.collection.collectionName, `${this.queue.length} documents are queued already`));
        return;
      }
      const pending: Pending<T> = { doc, key, callers: [caller] };
      this.queue.push(pending);
      if (key !== undefined) this.byKey.set(key, pending);
      this.watchWaits();
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    if (this.lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.answered(
          this.collection.insertMany(
            batch.map((p) => p.doc),
            { ordered: false },
          ),
        );
        batch.forEach((p) => this.settle(p, 'inserted'));
      } catch (error) {
        const outcomes = bulkInsertOutcomes(error, batch.length);
        // Unknown (a dropped connection): every caller learns that its insert failed; a retry finds
        // the documents that were stored after all as duplicates.
        batch.forEach((p, index) => {
          const outcome = outcomes?.[index] ?? 'failed';
          this.settle(p, outcome === 'failed' ? { error } : outcome);
        });
      }
    }
    this.flushing = false;
  }

  private settle(pending: Pending<T>, outcome: Outcome | { error: unknown }): void {
    if (pending.key !== undefined && this.byKey.get(pending.key) === pending) this.byKey.delete(pending.key);
    if (pending.key !== undefined && typeof outcome === 'string') this.remember(pending.key);
    for (const caller of pending.callers) {
      if (typeof outcome === 'string') caller.resolve(outcome);
      else caller.reject(outcome.error);
    }
  }

  private remember(key: string): void {
    if (this.rememberStored === 0) return;
    this.stored.set(key, true);
    if (this.stored.size > this.rememberStored) this.stored.delete(this.stored.keys().next().value as string);
  }

  /**
   * While documents are queued, refuses the callers that have waited past `maxQueueWaitMs`; a
   * document nobody waits on any more leaves the queue unsent. What is on its way is left to its answer.
   */
  private watchWaits(): void {
    if (this.maxQueueWaitMs === undefined || this.expiryTimer) return;
    const limit = this.maxQueueWaitMs;
    this.expiryTimer = setInterval(
      () => {
        if (this.queue.length === 0) {
          clearInterval(this.expiryTimer);
          this.expiryTimer = undefined;
          return;
        }
        const now = Date.now();
        for (let i = this.queue.length - 1; i >= 0; i--) {
          const pending = this.queue[i];
          const expired = pending.callers.filter((c) => now - c.since >= limit);
          if (expired.length === 0) continue;
          pending.callers = pending.callers.filter((c) => now - c.since < limit);
          const busy = new StoreBusyError(this.collection.collectionName, `waited ${now - Math.min(...expired.map((c) => c.since))} ms for its turn`);
          expired.forEach((c) => c.reject(busy));
          if (pending.callers.length === 0) {
            this.queue.splice(i, 1);
            if (pending.key !== undefined && this.byKey.get(pending.key) === pending) this.byKey.delete(pending.key);
          }
        }
      },
      Math.max(10, Math.min(250, limit / 4)),
    );
    this.expiryTimer.unref();
  }

  /** The write's answer, or InsertOutcomeUnknownError once it has waited `answerTimeoutMs` (a late answer is ignored). */
  private answered<R>(write: Promise<R>): Promise<R> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new InsertOutcomeUnknownError(this.collection.collectionName, this.answerTimeoutMs)), this.answerTimeoutMs);
    });
    write.catch(() => undefined);
    return Promise.race([write, timeout]).finally(() => clearTimeout(timer));
  }
}

/** The document's `_id` as a map key (strings and ObjectIds alike), if it has one. */
function keyOf(doc: Document): string | undefined {
  const id = (doc as { _id?: unknown })._id;
  if (id === undefined || id === null) return undefined;
  return typeof id === 'string' ? `s:${id}` : typeof (id as { toHexString?: unknown }).toHexString === 'function' ? `o:${String(id)}` : undefined;
}
