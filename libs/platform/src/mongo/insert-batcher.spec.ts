import { InsertBatcher, StoreBusyError } from './insert-batcher';

interface Doc {
  _id: string;
}

/** A collection that records each insertMany and answers as a store would, unique by _id. */
function recordingCollection(options: { failWith?: (batch: Doc[]) => unknown } = {}) {
  const stored = new Set<string>();
  const calls: string[][] = [];
  let release: (() => void) | undefined;
  const collection = {
    async insertMany(docs: Doc[]) {
      calls.push(docs.map((d) => d._id));
      // The first call waits until the test lets it go, so that others queue up meanwhile.
      if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
      const failure = options.failWith?.(docs);
      if (failure) throw failure;
      const writeErrors = docs.flatMap((doc, index) => (stored.has(doc._id) ? [{ index, code: 11000 }] : []));
      for (const doc of docs) stored.add(doc._id);
      if (writeErrors.length > 0) throw Object.assign(new Error('E11000 duplicate key'), { writeErrors });
      return { insertedCount: docs.length - writeErrors.length };
    },
    release: () => release?.(),
  };
  return { collection, calls, stored };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('InsertBatcher', () => {
  it('with a linger, waits for inserts arriving shortly after the first and sends them together', async () => {
    const calls: string[][] = [];
    const collection = { insertMany: async (docs: Doc[]) => void calls.push(docs.map((d) => d._id)) };
    const batcher = new InsertBatcher<Doc>(collection as never, { lingerMs: 30 });
    const first = batcher.insert({ _id: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual([]);
    const second = batcher.insert({ _id: 'b' });
    await expect(Promise.all([first, second])).resolves.toEqual(['inserted', 'inserted']);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('sends an insert alone at once, and those arriving meanwhile together in the next insertMany', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const later = ['b', 'c', 'd'].map((id) => batcher.insert({ _id: id }));
    await settle();
    collection.release();
    await expect(Promise.all([first, ...later])).resolves.toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('tells each caller its own outcome when some of a batch are duplicates', async () => {
    const { collection, calls, stored } = recordingCollection();
    stored.add('old');
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const existing = batcher.insert({ _id: 'old' });
    const fresh = batcher.insert({ _id: 'b' });
    await settle();
    collection.release();
    expect(await first).toBe('inserted');
    expect(await existing).toBe('duplicate');
    expect(await fresh).toBe('inserted');
    expect(calls).toEqual([['a'], ['old', 'b']]);
  });

  it('lets a retry of an id already queued or on its way join it: one document sent, the retry learns it is a duplicate', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    // 'a' is on its way; 'b' is queued behind it; both are retried, 'b' three times.
    const retries = [batcher.insert({ _id: 'a' }), batcher.insert({ _id: 'b' }), batcher.insert({ _id: 'b' }), batcher.insert({ _id: 'b' })];
    await settle();
    collection.release();
    await expect(Promise.all([first, ...retries])).resolves.toEqual(['inserted', 'duplicate', 'inserted', 'duplicate', 'duplicate']);
    expect(calls).toEqual([['a'], ['b']]);
    // Once answered, an id is forgotten: a later insert goes to the store, which answers for itself.
    await expect(batcher.insert({ _id: 'a' })).resolves.toBe('duplicate');
    expect(calls).toEqual([['a'], ['b'], ['a']]);
  });

  it("gives a retry that joined a failed insert the first one's failure", async () => {
    const outage = Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
    const { collection } = recordingCollection({ failWith: () => outage });
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    const retry = batcher.insert({ _id: 'a' });
    collection.release();
    await expect(first).rejects.toBe(outage);
    await expect(retry).rejects.toBe(outage);
  });

  it('refuses, unsent, an insert a request waited on too long for its turn; what is on its way is left to its answer', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { maxQueueWaitMs: 40 });
    const onItsWay = batcher.insert({ _id: 'a' });
    await settle();
    const queued = batcher.insert({ _id: 'b' });
    await expect(queued).rejects.toBeInstanceOf(StoreBusyError);
    expect(batcher.queued).toBe(0);
    collection.release();
    await expect(onItsWay).resolves.toBe('inserted');
    expect(calls).toEqual([['a']]);
  });

  it('keeps a queued document while a retry that joined it still waits, and refuses only the callers past their wait', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { maxQueueWaitMs: 60 });
    const onItsWay = batcher.insert({ _id: 'a' });
    await settle();
    const firstAttempt = batcher.insert({ _id: 'b' });
    await new Promise((resolve) => setTimeout(resolve, 40));
    const retry = batcher.insert({ _id: 'b' });
    await expect(firstAttempt).rejects.toBeInstanceOf(StoreBusyError);
    expect(batcher.queued).toBe(1);
    collection.release();
    await expect(onItsWay).resolves.toBe('inserted');
    await expect(retry).resolves.toBe('duplicate');
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('refuses at once an insert arriving while four batches are queued already', async () => {
    const { collection } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { maxBatch: 2, maxQueueWaitMs: 10_000 });
    const onItsWay = batcher.insert({ _id: 'a' });
    await settle();
    const queued = ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((id) => batcher.insert({ _id: id }));
    await expect(batcher.insert({ _id: 'j' })).rejects.toBeInstanceOf(StoreBusyError);
    // A retry of a queued id still joins it.
    const retry = batcher.insert({ _id: 'b' });
    collection.release();
    await expect(Promise.all([onItsWay, ...queued, retry])).resolves.toHaveLength(10);
  });

  it('without a wait limit (a consumer waits as long as it takes), refuses nobody', async () => {
    const { collection } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { maxBatch: 1 });
    const onItsWay = batcher.insert({ _id: 'a' });
    await settle();
    const queued = Array.from({ length: 10 }, (_, i) => batcher.insert({ _id: `q${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    collection.release();
    await expect(Promise.all([onItsWay, ...queued])).resolves.toEqual(Array.from({ length: 11 }, () => 'inserted'));
  });

  it('rejects every caller of a batch that failed for another reason, and goes on with the next', async () => {
    const outage = new Error('store unavailable');
    const { collection, calls } = recordingCollection({ failWith: (batch) => (batch.some((d) => d._id === 'x') ? outage : undefined) });
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const failing = [batcher.insert({ _id: 'x' }), batcher.insert({ _id: 'y' })];
    await settle();
    collection.release();
    expect(await first).toBe('inserted');
    for (const p of failing) await expect(p).rejects.toBe(outage);
    await expect(batcher.insert({ _id: 'z' })).resolves.toBe('inserted');
    expect(calls).toEqual([['a'], ['x', 'y'], ['z']]);
  });

  it('rejects every caller when a dropped connection leaves the outcome unknown (the driver reports no write errors)', async () => {
    // As the MongoDB driver reports a connection closed during insertMany: a bulk write error with an empty list.
    const dropped = Object.assign(new Error('connection 3 to 127.0.0.1:27017 closed'), { name: 'MongoBulkWriteError', writeErrors: [] });
    const { collection } = recordingCollection({ failWith: (batch) => (batch.some((d) => d._id === 'p') ? dropped : undefined) });
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const unknown = [batcher.insert({ _id: 'p' }), batcher.insert({ _id: 'q' })];
    await settle();
    collection.release();
    expect(await first).toBe('inserted');
    for (const p of unknown) await expect(p).rejects.toBe(dropped);
  });

  it('gives up on an insert the store never answers: its callers learn the outcome is unknown, and the next batch goes out', async () => {
    const calls: string[][] = [];
    const collection = {
      collectionName: 'visits',
      insertMany: (docs: Doc[]) => {
        calls.push(docs.map((d) => d._id));
        // The first write never gets an answer (a connection the store left hanging).
        return calls.length === 1 ? new Promise(() => undefined) : Promise.resolve({ insertedCount: docs.length });
      },
    };
    const batcher = new InsertBatcher<Doc>(collection as never, { answerTimeoutMs: 50 });
    const hung = batcher.insert({ _id: 'a' });
    await settle();
    const next = batcher.insert({ _id: 'b' });
    await expect(hung).rejects.toMatchObject({ name: 'InsertOutcomeUnknownError' });
    await expect(next).resolves.toBe('inserted');
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { maxBatch: 2 });
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const rest = ['b', 'c', 'd', 'e', 'f'].map((id) => batcher.insert({ _id: id }));
    await settle();
    collection.release();
    await Promise.all([first, ...rest]);
    expect(calls).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });

  it('remembers the ids the store confirmed, when asked: a later insert of one is a duplicate without a write', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, { rememberStored: 2 });
    const first = batcher.insert({ _id: 'a' });
    await settle();
    collection.release();
    await expect(first).resolves.toBe('inserted');
    await expect(batcher.insert({ _id: 'a' })).resolves.toBe('duplicate');
    expect(calls).toEqual([['a']]);
    // Only the latest two are remembered: 'a' is forgotten and asked of the store again.
    await batcher.insert({ _id: 'b' });
    await batcher.insert({ _id: 'c' });
    await expect(batcher.insert({ _id: 'a' })).resolves.toBe('duplicate');
    expect(calls).toEqual([['a'], ['b'], ['c'], ['a']]);
  });

  it('does not remember an insert that failed', async () => {
    let fail = true;
    const outage = Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
    const calls: string[][] = [];
    const collection = {
      insertMany: async (docs: Doc[]) => {
        calls.push(docs.map((d) => d._id));
        if (fail) throw outage;
        return { insertedCount: docs.length };
      },
    };
    const batcher = new InsertBatcher<Doc>(collection as never, { rememberStored: 10 });
    await expect(batcher.insert({ _id: 'a' })).rejects.toBe(outage);
    fail = false;
    await expect(batcher.insert({ _id: 'a' })).resolves.toBe('inserted');
    expect(calls).toEqual([['a'], ['a']]);
  });
});
