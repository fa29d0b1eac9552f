import type { Collection, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import { documentKey } from '../concurrency/document-locks';
import { InsertBatcher, InsertOutcomeUnknownError, REQUEST_INSERT_WAIT_MS } from '../mongo/insert-batcher';
import { newOutbox, OutboxEntry, pushToOutbox, WITHOUT_OUTBOX, WithOutbox } from '../outbox/outbox-entry';
import { StoreProfile } from './store-profile';

/** An aggregate's document: keyed by a string id (UUIDs, derived keys), with its outbox. */
export type AggregateDocument = { _id: string } & WithOutbox;

/** Who creates a store's aggregates: requests (HTTP) or a consumer of events. */
export type AggregateWriter = 'requests' | 'consumer';

/** What the relay is told of writes (see OutboxRelay): the store is its only caller. */
export interface OutboxHandOff {
  handOff(id: string, entries: OutboxEntry[]): void;
  notify(id: string): void;
  /** A write's outcome is unknown: what it stored, nobody handed off (the sweep reads every pending document). */
  storeInterrupted(): void;
}

/** A change of a stored aggregate and the events announcing it, written together in one update. */
export interface AggregateChange {
  set?: Record<string, unknown>;
  push?: Record<string, unknown>;
  events: OutboxEntry[];
}

/** What `decide` asks of `modify`: a result for the caller, and a change to write (none when it only answers). */
export interface Decision<R> {
  result: R;
  change?: AggregateChange;
}

/**
 * How often a modify decides again when other writers keep changing the aggregate under it. On
 * MongoDB writers of one aggregate in one process race too (nothing serialises them there), so a
 * lost race waits a few random milliseconds before it reads again: a burst of changes to one
 * aggregate then takes turns instead of colliding again.
 */
const MAX_ATTEMPTS = 10;
/** Ids of aggregates this process created lately (about 1 MB), answered `exists` without a write. */
const REMEMBERED_IDS = 10_000;
const RACE_BACKOFF_MS = 5;

/**
 * The one way an aggregate and its events reach the store: the change and its events in one
 * document write (no transactions), then the events handed to the outbox relay. It owns the
 * insert (batched, a duplicate id is `exists`), the revision-guarded modify, and the conditional
 * update; the store's profile decides whether writes of one document must also be serialised in
 * this process (FerretDB) or the write's own condition suffices (MongoDB).
 *
 * Documents given to it are plain: the repositories map them from and to the domain.
 */
export class AggregateStore<D extends AggregateDocument> {
  private readonly inserts: InsertBatcher<D>;

  constructor(
    private readonly collection: Collection<D>,
    private readonly relay: OutboxHandOff,
    private readonly profile: StoreProfile,
    /** The field `modify` reads and bumps: a write names the revision it read. */
    private readonly revisionField = 'version',
    /**
     * Who waits on the inserts: a request gives up after a few seconds, so an insert that waited
     * too long for its turn is refused (StoreBusyError, nothing written) instead of adding to a
     * queue nobody waits on; a consumer waits as long as it takes.
     */
    writer: AggregateWriter = 'requests',
  ) {
    // Aggregates created together share one commit.
    this.inserts = new InsertBatcher(collection, {
      ...(writer === 'requests' ? { maxQueueWaitMs: REQUEST_INSERT_WAIT_MS } : {}),
      // An aggregate is never deleted and created again under its id: a retried create is known to exist.
      rememberStored: REMEMBERED_IDS,
    });
  }

  /**
   * Stores a new aggregate with its events. `exists` when one with this id is stored already (a
   * retried request): nothing is written, but the relay is asked to publish what of the stored
   * one is not out yet, as its writer may have been told it failed after the store had it (a
   * connection lost mid-write) and then nobody handed its events off.
   */
  async insert(doc: Omit<D, keyof WithOutbox>, events: OutboxEntry[]): Promise<'inserted' | 'exists'> {
    const outcome = await this.inserts.insert({ ...doc, ...newOutbox(events) } as unknown as OptionalUnlessRequiredId<D>).catch((error: unknown) => {
      // Stored or not, nobody hands its events off: the sweep must read every pending document, as after a dropped connection.
      if (error instanceof InsertOutcomeUnknownError) this.relay.storeInterrupted();
      throw error;
    });
    if (outcome === 'duplicate') {
      this.relay.notify(doc._id);
      return 'exists';
    }
    // Nothing of a new aggregate can be waiting in the outbox before these events.
    if (events.length > 0) this.relay.handOff(doc._id, events);
    return 'inserted';
  }

  /** The stored aggregate (without its outbox), if it exists within `scope` (its center, say). */
  async read(id: string, scope: Record<string, unknown> = {}): Promise<D | undefined> {
    return ((await this.collection.findOne({ _id: id, ...scope } as Filter<D>, { projection: WITHOUT_OUTBOX })) ?? undefined) as D | undefined;
  }

  /**
   * Reads the aggregate, lets `decide` work out the change (domain rules, events), and writes it
   * with its events in one update conditional on the revision read. A lost race (another writer
   * changed it in between) decides again on the fresh state. `decide` sees `undefined` when no
   * aggregate with this id exists within `scope`; it may throw to refuse.
   */
  async modify<R>(id: string, scope: Record<string, unknown>, decide: (current: D | undefined) => Decision<R>): Promise<R> {
    return this.profile.exclusive(this.key(id), async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.read(id, scope);
        const { result, change } = decide(current);
        if (!change || !current) return result;
        const revision = (current as Record<string, unknown>)[this.revisionField] ?? 0;
        if (await this.write(id, { ...scope, [this.revisionField]: revision }, change, { $inc: { [this.revisionField]: 1 } })) return result;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`${this.collection.collectionName}/${id} kept changing while being updated`);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RACE_BACKOFF_MS * attempt));
      }
    });
  }

  /**
   * Writes a change with its events only if the stored aggregate still meets `condition` (still
   * open, still at the revision the caller read). False when it does not: nothing was written.
   */
  async update(id: string, condition: Record<string, unknown>, change: AggregateChange): Promise<boolean> {
    return this.profile.exclusive(this.key(id), () => this.write(id, condition, change));
  }

  /** Asks the relay to publish what of this aggregate is not out yet (a replay that may follow a crash). */
  publishPending(id: string): void {
    this.relay.notify(id);
  }

  private async write(id: string, condition: Record<string, unknown>, change: AggregateChange, extra: Record<string, unknown> = {}): Promise<boolean> {
    const outbox = change.events.length > 0 ? pushToOutbox(change.events) : undefined;
    const set = { ...change.set, ...outbox?.$set };
    const push = { ...change.push, ...outbox?.$push };
    const update = {
      ...extra,
      ...(Object.keys(set).length > 0 ? { $set: set } : {}),
      ...(Object.keys(push).length > 0 ? { $push: push } : {}),
    } as UpdateFilter<D>;
    const result = await this.collection.updateOne({ ...condition, _id: id } as Filter<D>, update);
    if (result.modifiedCount !== 1) return false;
    if (change.events.length > 0) this.relay.notify(id);
    return true;
  }

  private key(id: string): string {
    return documentKey(this.collection, id);
  }
}
