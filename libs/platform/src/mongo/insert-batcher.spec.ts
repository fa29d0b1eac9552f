import { InsertBatcher } from './insert-batcher';

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
    const batcher = new InsertBatcher<Doc>(collection as never, 500, 30);
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
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const again = batcher.insert({ _id: 'a' });
    const fresh = batcher.insert({ _id: 'b' });
    await settle();
    collection.release();
    expect(await first).toBe('inserted');
    expect(await again).toBe('duplicate');
    expect(await fresh).toBe('inserted');
    expect(calls).toEqual([['a'], ['a', 'b']]);
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
    const batcher = new InsertBatcher<Doc>(collection as never, 500, 0, 50);
    const hung = batcher.insert({ _id: 'a' });
    await settle();
    const next = batcher.insert({ _id: 'b' });
    await expect(hung).rejects.toMatchObject({ name: 'InsertOutcomeUnknownError' });
    await expect(next).resolves.toBe('inserted');
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const { collection, calls } = recordingCollection();
    const batcher = new InsertBatcher<Doc>(collection as never, 2);
    const first = batcher.insert({ _id: 'a' });
    await settle();
    const rest = ['b', 'c', 'd', 'e', 'f'].map((id) => batcher.insert({ _id: id }));
    await settle();
    collection.release();
    await Promise.all([first, ...rest]);
    expect(calls).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  });
});
