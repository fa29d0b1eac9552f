import { silentLog } from '../logging/log-sink';
import { StoreKind, StoreProfile } from '../store/store-profile';
import { OutboxEntry } from './outbox-entry';
import { OutboxDocument, OutboxRelay, PublishedEventRecord } from './outbox-relay';

const entry = (eventId: string): OutboxEntry => ({ eventId, topic: 'crc.test.v1', key: eventId, value: '{}' });
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** By a list of ids: one `$in` (MongoDB) or one equality per id (FerretDB; see StoreProfile.findByKeys). */
type ById = string | { $in: string[] };
type Filter = { _id?: ById; publishedAt?: { $gte: Date } };
const matches = (filter: Filter, id: string) => !filter._id || (typeof filter._id === 'string' ? filter._id === id : filter._id.$in.includes(id));
const recordMatches = (filter: Filter, record: PublishedEventRecord) =>
  matches(filter, record._id) && (!filter.publishedAt || record.publishedAt >= filter.publishedAt.$gte);

type Range = { $gte?: Date; $gt?: Date; $lt?: Date };
type DocumentClause = { _id?: ById; outboxSince?: Range | null };
type DocumentFilter = DocumentClause & { outboxPending?: boolean; $or?: DocumentClause[] };
const inRange = (at: Date | null | undefined, range: Range) =>
  at != null && (!range.$gte || at >= range.$gte) && (!range.$gt || at > range.$gt) && (!range.$lt || at < range.$lt);
const clauseMatches = (clause: DocumentClause, doc: OutboxDocument) =>
  matches(clause, doc._id) &&
  (clause.outboxSince === undefined || (clause.outboxSince === null ? doc.outboxSince == null : inRange(doc.outboxSince, clause.outboxSince)));
/** The relay's document reads: `_id` (one or `$in`), `outboxPending`, `outboxSince` ranges or null, `$or` of those. */
const documentMatches = (filter: DocumentFilter, doc: OutboxDocument) =>
  clauseMatches(filter, doc) &&
  (filter.outboxPending === undefined || doc.outboxPending === filter.outboxPending) &&
  (!filter.$or || filter.$or.some((c) => clauseMatches(c, doc)));

/**
 * Stand-ins for the two collections, enough for the relay's statements: reads honour an `_id`
 * filter and return everything else; writes are recorded, and record inserts can be held back.
 * `withIn` counts statements that carry an `$in` (FerretDB would read the whole collection for one).
 */
function fakeStore(documents: OutboxDocument[] = [], hooks: { onRecordsRead?: () => void } = {}) {
  const records = new Map<string, PublishedEventRecord>();
  const heldInserts: Array<() => void> = [];
  let holdInserts = false;
  const documentUpdates: unknown[] = [];
  let withIn = 0;
  const seen = (filter: unknown) => {
    if (JSON.stringify(filter).includes('"$in"')) withIn++;
  };
  const cursor = <T>(items: T[]) => {
    const c = {
      sort: () => c,
      limit: (n: number) => cursor(items.slice(0, n)),
      toArray: async () => items,
      async *[Symbol.asyncIterator]() {
        yield* items;
      },
    };
    return c;
  };
  const collection = {
    collectionName: 'visits',
    find: (filter: DocumentFilter) => {
      seen(filter);
      return cursor(documents.filter((doc) => documentMatches(filter, doc)));
    },
    updateMany: async (filter: Filter & { $or?: Array<{ _id: string; outboxSince?: Date }> }, update: { $set: Partial<OutboxDocument> }) => {
      documentUpdates.push(update);
      const selected = (doc: OutboxDocument) =>
        filter.$or
          ? filter.$or.some((clause) => clause._id === doc._id && (clause.outboxSince ?? null) === (doc.outboxSince ?? null))
          : matches(filter, doc._id);
      const chosen = documents.filter(selected);
      for (const doc of chosen) Object.assign(doc, update.$set);
      return { modifiedCount: chosen.length };
    },
  };
  const published = {
    find: (filter: Filter) => {
      seen(filter);
      hooks.onRecordsRead?.();
      return cursor([...records.values()].filter((r) => recordMatches(filter, r)));
    },
    insertMany: async (docs: PublishedEventRecord[]) => {
      if (holdInserts) await new Promise<void>((resolve) => heldInserts.push(resolve));
      for (const doc of docs) records.set(doc._id, doc);
    },
    deleteMany: async (filter: Filter) => {
      seen(filter);
      const gone = [...records.keys()].filter((id) => matches(filter, id));
      for (const id of gone) records.delete(id);
      return { deletedCount: gone.length };
    },
  };
  return {
    collection,
    published,
    records,
    documentUpdates,
    statementsWithIn: () => withIn,
    holdRecordInserts: () => (holdInserts = true),
    releaseRecordInserts: () => {
      holdInserts = false;
      heldInserts.splice(0).forEach((release) => release());
    },
  };
}

function relayOver(store: ReturnType<typeof fakeStore>, deliver: (entries: OutboxEntry[]) => Promise<void>, kind: StoreKind) {
  // Sweeps and compaction far apart: each test drives the path it is about.
  return new OutboxRelay(store.collection as never, store.published as never, { deliver }, silentLog, {
    sweepIntervalMs: 60_000,
    fullSweepIntervalMs: 60_000,
    recordLingerMs: 0,
    byKeys: new StoreProfile(kind),
  });
}

const STORES: StoreKind[] = ['mongodb', 'ferretdb'];

describe.each(STORES)('OutboxRelay hand-off, reading by ids as on %s', (kind) => {
  it('publishes a handed-off document and records its events without rewriting the document', async () => {
    const store = fakeStore();
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    relay.start();
    try {
      relay.handOff('visit-1', [entry('e1')]);
      await settle();
      expect(delivered).toEqual(['e1']);
      expect([...store.records.values()]).toEqual([{ _id: 'e1', documentId: 'visit-1', publishedAt: expect.any(Date) }]);
      // The hot path writes once per event: the record. The document is rewritten only by compaction, later.
      expect(store.documentUpdates).toEqual([]);
    } finally {
      await relay.stop();
    }
  });

  it('publishes a document handed off while the previous one is being recorded', async () => {
    const store = fakeStore();
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    relay.start();
    try {
      store.holdRecordInserts();
      relay.handOff('visit-1', [entry('e1')]);
      await settle();
      relay.handOff('visit-2', [entry('e2')]);
      await settle();
      store.releaseRecordInserts();
      await settle();
      expect(delivered).toEqual(['e1', 'e2']);
      expect([...store.records.keys()].sort()).toEqual(['e1', 'e2']);
    } finally {
      store.releaseRecordInserts();
      await relay.stop();
    }
  });

  it("sends each document's events in order, documents handed off together in one delivery per position", async () => {
    const store = fakeStore();
    const deliveries: string[][] = [];
    let unblock!: () => void;
    const firstDelivery = new Promise<void>((resolve) => (unblock = resolve));
    const relay = relayOver(
      store,
      async (entries) => {
        deliveries.push(entries.map((e) => e.eventId));
        if (deliveries.length === 1) await firstDelivery;
      },
      kind,
    );
    relay.start();
    try {
      relay.handOff('a', [entry('a1')]);
      await settle();
      relay.handOff('b', [entry('b1'), entry('b2')]);
      relay.handOff('c', [entry('c1')]);
      unblock();
      await settle();
      expect(deliveries).toEqual([['a1'], ['b1', 'c1'], ['b2']]);
    } finally {
      await relay.stop();
    }
  });

  it('publishes only the events a notified document has not published yet', async () => {
    const store = fakeStore([{ _id: 'v', outbox: [entry('in'), entry('out')], outboxPending: true }]);
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    relay.start();
    try {
      relay.handOff('v', [entry('in')]);
      relay.notify('v');
      await settle();
      expect(delivered).toEqual(['in', 'out']);
    } finally {
      await relay.stop();
    }
  });
});

describe.each(STORES)('OutboxRelay sweep and compaction, reading by ids as on %s', (kind) => {
  it('sweeps what a failed hand-off left, and only that', async () => {
    const store = fakeStore([
      { _id: 'done', outbox: [entry('d1')], outboxPending: true },
      { _id: 'failed', outbox: [entry('f1'), entry('f2')], outboxPending: true },
    ]);
    store.records.set('d1', { _id: 'd1', documentId: 'done', publishedAt: new Date() });
    let brokerUp = false;
    const delivered: string[][] = [];
    const relay = relayOver(
      store,
      async (entries) => {
        if (!brokerUp) throw new Error('broker away');
        delivered.push(entries.map((e) => e.eventId));
      },
      kind,
    );
    relay.start();
    try {
      await settle(); // the start's own sweep: the broker is away
      relay.handOff('failed', [entry('f1'), entry('f2')]);
      await settle();
      expect(relay.backlog()).toBeGreaterThan(0);
      brokerUp = true;
      expect(await relay.sweepOnce()).toBe(1);
      expect(delivered).toEqual([['f1'], ['f2']]);
      expect(relay.backlog()).toBe(0);
      expect(await relay.sweepOnce()).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('after the store dropped its connections, sweeps a document that became visible behind the incremental window', async () => {
    const documents: OutboxDocument[] = [];
    const store = fakeStore(documents);
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    const start = Date.now();
    expect(await relay.sweepOnce(new Date(start))).toBe(0); // the full sweep of the start: nothing yet
    // A check-in stored as the store went down, its writer told it failed: never handed off, and
    // its time older than where the next incremental sweep begins.
    documents.push({ _id: 'ambiguous', outbox: [entry('a1')], outboxPending: true, outboxSince: new Date(start - 200_000) });
    expect(await relay.sweepOnce(new Date(start + 30_000))).toBe(0); // incremental: outside its window
    relay.storeInterrupted();
    expect(await relay.sweepOnce(new Date(start + 31_000))).toBe(1);
    expect(delivered).toEqual(['a1']);
    expect(await relay.sweepOnce(new Date(start + 32_000))).toBe(0); // incremental again
  });

  it('publishes the events of a document written before outboxes had a time, in a full sweep', async () => {
    const store = fakeStore([{ _id: 'legacy', outbox: [entry('l1')], outboxPending: true }]);
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    expect(await relay.sweepOnce()).toBe(1);
    expect(delivered).toEqual(['l1']);
    expect(await relay.compactOnce()).toBe(1);
    expect(store.records.size).toBe(0);
  });

  it('does not publish again an old event of a document that has a new one', async () => {
    const longAgo = new Date(Date.now() - 3600_000);
    // The check-out's push: within the next incremental sweep's window.
    const store = fakeStore([{ _id: 'v', outbox: [entry('in'), entry('out')], outboxPending: true, outboxSince: new Date(Date.now() - 90_000) }]);
    store.records.set('in', { _id: 'in', documentId: 'v', publishedAt: longAgo });
    const delivered: string[] = [];
    const relay = relayOver(store, async (entries) => void delivered.push(...entries.map((e) => e.eventId)), kind);
    await relay.sweepOnce(); // a full sweep: every record read
    store.records.delete('out');
    delivered.length = 0;
    // An incremental sweep reads only recent records: the old one is looked up by id.
    expect(await relay.sweepOnce(new Date(Date.now() + 1000))).toBe(1);
    expect(delivered).toEqual(['out']);
  });

  it('leaves a document that got new events while compaction looked at it', async () => {
    const doc: OutboxDocument = { _id: 'v', outbox: [entry('in')], outboxPending: true, outboxSince: new Date(Date.now() - 120_000) };
    const store = fakeStore([doc], {
      // Between compaction's read and its write, a check-out adds its event (as the service would).
      onRecordsRead: () => Object.assign(doc, { outbox: [...doc.outbox, entry('out')], outboxSince: new Date() }),
    });
    store.records.set('in', { _id: 'in', documentId: 'v', publishedAt: new Date() });
    const relay = relayOver(store, async () => undefined, kind);
    await relay.compactOnce();
    expect(doc.outbox.map((e) => e.eventId)).toEqual(['in', 'out']);
    expect(doc.outboxPending).toBe(true);
    expect(store.records.has('in')).toBe(true);
  });

  it('empties only documents whose events are all recorded, then drops their records', async () => {
    const store = fakeStore([
      { _id: 'all', outbox: [entry('a1'), entry('a2')], outboxPending: true },
      { _id: 'half', outbox: [entry('h1'), entry('h2')], outboxPending: true },
    ]);
    for (const [id, doc] of [
      ['a1', 'all'],
      ['a2', 'all'],
      ['h1', 'half'],
    ])
      store.records.set(id, { _id: id, documentId: doc, publishedAt: new Date() });
    const relay = relayOver(store, async () => undefined, kind);
    expect(await relay.compactOnce()).toBe(1);
    await expect(store.collection.find({}).toArray()).resolves.toEqual([
      { _id: 'all', outbox: [], outboxPending: false },
      { _id: 'half', outbox: [entry('h1'), entry('h2')], outboxPending: true },
    ]);
    expect([...store.records.keys()]).toEqual(['h1']);
    // Records read and dropped by id: on FerretDB one equality each, never an `$in`.
    expect(store.statementsWithIn() > 0).toBe(kind === 'mongodb');
  });
});
