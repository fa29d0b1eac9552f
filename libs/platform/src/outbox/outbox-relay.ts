import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Collection } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { documentKey, documentLocks } from '../concurrency/document-locks';
import { EventPublisher } from '../kafka/event-publisher';
import { LogSink } from '../logging/log-sink';
import { contextFromTraceparent, traceparentOf } from '../tracing/tracing';
import { OutboxEntry } from './outbox-entry';

export interface OutboxRelayOptions {
  /** Documents claimed per round. */
  batchSize?: number;
  /** How long a claim holds; renewed while a publish waits on the broker. */
  leaseMs?: number;
  /** How often to look for leftovers (a crash, a broker outage) when nobody calls `notify`. */
  pollIntervalMs?: number;
}

/**
 * Where outbox entries go. Usually Kafka (`kafkaOutboxSink`); reporting also appends to its
 * feeds first. `deliver` must be idempotent per entry: after a crash, entries are delivered again.
 */
export interface OutboxSink {
  deliver(entries: OutboxEntry[]): Promise<void>;
}

/**
 * Publishes each entry in a producer span that continues the trace stored with it; the span's
 * `traceparent` goes out as a Kafka header, for the consumer to continue.
 */
export function kafkaOutboxSink(publisher: EventPublisher): OutboxSink {
  const tracer = trace.getTracer('crc.outbox');
  return {
    deliver: async (entries) => {
      const spans = entries.map((entry) =>
        entry.traceparent
          ? tracer.startSpan(
              `send ${entry.topic}`,
              {
                kind: SpanKind.PRODUCER,
                attributes: {
                  'messaging.system': 'kafka',
                  'messaging.operation.type': 'send',
                  'messaging.destination.name': entry.topic,
                  'messaging.message.id': entry.eventId,
                },
              },
              contextFromTraceparent(entry.traceparent),
            )
          : undefined,
      );
      try {
        await publisher.publish(
          entries.map((entry, i) => {
            const span = spans[i];
            const traceparent = span ? traceparentOf(trace.setSpan(ROOT_CONTEXT, span)) : undefined;
            return { topic: entry.topic, key: entry.key, value: entry.value, headers: { 'ce-id': entry.eventId, ...(traceparent ? { traceparent } : {}) } };
          }),
        );
      } catch (error) {
        for (const span of spans) span?.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        for (const span of spans) span?.end();
      }
    },
  };
}

/** Outbox-bearing documents are keyed by string ids (UUIDs). */
export interface OutboxDocument {
  _id: string;
  outbox: OutboxEntry[];
  outboxPending: boolean;
  outboxLeaseOwner: string | null;
  outboxLeaseUntil: Date | null;
}

/**
 * Publishes the events stored in documents' outboxes, then removes them. One loop per collection
 * and process: it claims a batch of documents with a lease (so several instances never publish
 * one document at once), publishes their events in stored order and waits for the broker's
 * acknowledgement, then removes exactly those entries. A crash between publish and removal
 * means the events go out again; consumers dedupe by event id.
 *
 * Hand-off: a document just inserted with its events (nothing earlier can be pending for it) is
 * given to `handOff`, which publishes at once, many documents in one send, and then removes the
 * entries of all of them in one statement, without the claim round trips. The sweep does not find
 * such documents again; it runs once per poll interval, for leftovers (a crash, a broker outage).
 */
export class OutboxRelay {
  private readonly owner = randomUUID();
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private interrupt?: () => void;
  private pendingWake = false;
  private handOffQueue: Array<{ id: string; entries: OutboxEntry[] }> = [];
  private handingOff?: Promise<void>;
  private cleaning: Promise<void> = Promise.resolve();
  /** Documents the hand-off is publishing: the sweep leaves them alone. */
  private readonly inHandOff = new Set<string>();
  private lastCleared = 0;

  constructor(
    private readonly collection: Collection<OutboxDocument>,
    private readonly sink: OutboxSink,
    private readonly log: LogSink,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A write just added events: publish now rather than at the next poll. */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /**
   * A document was just inserted with these events: publish them now, in order, and remove them.
   * If that fails, the sweep publishes them later as it would have anyway.
   */
  handOff(id: string, entries: OutboxEntry[]): void {
    if (!this.running || entries.length === 0) return;
    this.handOffQueue.push({ id, entries });
    this.inHandOff.add(id);
    this.startHandOffs();
  }

  private startHandOffs(): void {
    if (this.handingOff) return;
    this.handingOff = this.drainHandOffs().finally(() => {
      this.handingOff = undefined;
      // Handed off after the drain last looked: without this they would wait, unseen by the sweep, for the next hand-off.
      if (this.handOffQueue.length > 0 && this.running) this.startHandOffs();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.handingOff;
    await this.loop;
  }

  /** Sends what was handed off meanwhile, documents together, each document's events in order. */
  private async drainHandOffs(): Promise<void> {
    while (this.handOffQueue.length > 0 && this.running) {
      const documents = this.handOffQueue.splice(0, this.batchSize);
      try {
        for (let position = 0; ; position++) {
          const entries = documents.filter((doc) => doc.entries.length > position).map((doc) => doc.entries[position]);
          if (entries.length === 0) break;
          await this.sink.deliver(entries);
        }
      } catch (error) {
        this.log.warn({ err: error }, 'outbox hand-off failed; the sweep will publish those events');
        for (const doc of documents) this.inHandOff.delete(doc.id);
        continue;
      }
      // The next documents go out while these are cleaned up.
      this.cleaning = this.cleaning.then(() => this.removeHandedOff(documents));
    }
    await this.cleaning;
  }

  private async removeHandedOff(documents: Array<{ id: string; entries: OutboxEntry[] }>): Promise<void> {
    const ids = documents.map((doc) => doc.id);
    try {
      // Entries are unique by event id, so pulling all of them from each document removes exactly its
      // own. `outboxPending` stays set (clearing it safely needs a condition on the array, and
      // FerretDB rewrites every updated document with a scan); `clearEmptied` clears it in bulk.
      for (const chunk of removalChunks(documents)) {
        const chunkIds = chunk.map((doc) => doc.id);
        await this.locked(chunkIds, () => this.collection.updateMany({ _id: { $in: chunkIds } }, { $pullAll: { outbox: chunk.flatMap((doc) => doc.entries) } }));
      }
    } catch (error) {
      this.log.warn({ err: error }, 'removing handed-off outbox entries failed; the sweep will publish them again');
    } finally {
      for (const id of ids) this.inHandOff.delete(id);
    }
  }

  /** Clears the pending flag of documents whose outbox the hand-off emptied, now and then, in bulk. */
  private async clearEmptied(): Promise<void> {
    if (Date.now() - this.lastCleared < 10 * this.pollIntervalMs) return;
    this.lastCleared = Date.now();
    const limit = 10 * this.batchSize;
    const emptied = await this.collection.find({ outboxPending: true, outbox: { $size: 0 } }, { projection: { _id: 1 } }).limit(limit).toArray();
    const ids = emptied.map((doc) => doc._id);
    if (ids.length === 0) return;
    if (ids.length === limit) this.lastCleared = 0; // more are waiting: again next round
    // Cleared only where nothing new arrived meanwhile; a later push sets it again.
    await this.locked(ids, () => this.collection.updateMany({ _id: { $in: ids }, outbox: { $size: 0 } }, { $set: { outboxPending: false } }));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pendingWake = false;
      let published = 0;
      try {
        published = await this.publishOnce();
        await this.clearEmptied();
        failures = 0;
      } catch (error) {
        failures++;
        this.log.warn({ err: error, failures }, 'outbox relay round failed; will retry');
      }
      if (!this.running) break;
      // After a failure, back off whatever `notify` says: a busy kiosk must not hammer a sick store.
      if (failures > 0) await this.sleep(Math.min(10_000, 250 * 2 ** Math.min(failures, 6)), false);
      else if (published === 0 && !this.pendingWake) await this.sleep(this.pollIntervalMs, true);
    }
  }

  private sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeOnNotify) this.wake = done;
    });
  }

  /** One round: claim, publish, remove. Returns how many events went out. */
  async publishOnce(): Promise<number> {
    const now = new Date();
    const claimable = {
      outboxPending: true,
      'outbox.0': { $exists: true },
      $or: [{ outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
    };
    const candidates = await this.collection
      .find(claimable, { projection: { _id: 1 } })
      .limit(this.batchSize)
      .toArray();
    const ids = candidates.map((c) => c._id).filter((id) => !this.inHandOff.has(id));
    if (ids.length === 0) return 0;

    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    await this.locked(ids, () =>
      this.collection.updateMany({ _id: { $in: ids }, ...claimable }, { $set: { outboxLeaseOwner: this.owner, outboxLeaseUntil: leaseUntil } }),
    );
    const claimed = await this.collection
      .find({ _id: { $in: ids }, outboxLeaseOwner: this.owner }, { projection: { _id: 1, outbox: 1 } })
      .toArray();
    for (const doc of claimed) doc.outbox ??= [];
    const withEvents = claimed.filter((doc) => doc.outbox.length > 0);
    const claimedIds = claimed.map((doc) => doc._id);

    const renewal = setInterval(() => {
      void this.locked(claimedIds, () =>
        this.collection.updateMany(
          { _id: { $in: claimedIds }, outboxLeaseOwner: this.owner },
          { $set: { outboxLeaseUntil: new Date(Date.now() + this.leaseMs) } },
        ),
      ).catch((error: unknown) => this.log.warn({ err: error }, 'outbox lease renewal failed'));
    }, Math.max(1000, this.leaseMs / 3));
    try {
      // A document's events go out in stored order, each only after the one before it was
      // acknowledged: its first events together, then its second ones, and so on. Events of
      // one visit live on different topics, so batching them together would not keep order.
      for (let position = 0; ; position++) {
        const entries = withEvents.filter((doc) => doc.outbox.length > position).map((doc) => doc.outbox[position]);
        if (entries.length === 0) break;
        await this.sink.deliver(entries);
      }
    } catch (error) {
      await this.release(claimedIds);
      throw error;
    } finally {
      clearInterval(renewal);
    }

    if (claimed.length > 0) {
      await this.locked(claimedIds, async () => {
        // One statement for the whole batch: entries are unique by event id, so pulling all of them from
        // each document removes exactly that document's published ones.
        for (const chunk of removalChunks(claimed)) {
          await this.collection.updateMany(
            { _id: { $in: chunk.map((doc) => doc._id) }, outboxLeaseOwner: this.owner },
            { $pullAll: { outbox: chunk.flatMap((doc) => doc.outbox) }, $set: { outboxLeaseOwner: null, outboxLeaseUntil: null } },
          );
        }
        // Cleared only where nothing new arrived meanwhile; a later push sets it again.
        await this.collection.updateMany({ _id: { $in: claimedIds }, outbox: { $size: 0 } }, { $set: { outboxPending: false } });
      });
    }
    return withEvents.reduce((n, doc) => n + doc.outbox.length, 0);
  }

  private async release(ids: string[]): Promise<void> {
    await this.locked(ids, () =>
      this.collection.updateMany({ _id: { $in: ids }, outboxLeaseOwner: this.owner }, { $set: { outboxLeaseOwner: null, outboxLeaseUntil: null } }),
    ).catch((error: unknown) => this.log.warn({ err: error }, 'outbox lease release failed'));
  }

  /** The relay's writes never overlap the service's own writes to the same documents (see DocumentLocks). */
  private locked<T>(ids: string[], work: () => Promise<T>): Promise<T> {
    return documentLocks.run(
      ids.map((id) => documentKey(this.collection, id)),
      work,
    );
  }
}

/**
 * Removal statements go out in chunks of documents. FerretDB 1.24 on SQLite rewrites each matched
 * document with a statement that reads the whole collection, under the store's one write lock, and
 * compares every stored entry with every value pulled: 500 documents in one statement took 3.7 s
 * (measured), long enough for other writers to give up waiting (`MongoServerError` code 1). Chunks
 * let inserts in between. On MongoDB each chunk is a few indexed updates.
 */
const REMOVAL_CHUNK = 50;

function removalChunks<T>(documents: T[]): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < documents.length; i += REMOVAL_CHUNK) chunks.push(documents.slice(i, i + REMOVAL_CHUNK));
  return chunks;
}
