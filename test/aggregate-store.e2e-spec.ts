import { randomBytes } from 'node:crypto';
import { Collection, MongoClient } from 'mongodb';
import {
  AggregateDocument,
  AggregateStore,
  detectStore,
  OutboxEntry,
  OutboxRelay,
  PublishedEventRecord,
  publishedEventsCollectionName,
  silentLog,
  StoreProfile,
} from '@crc/platform';
import { eventually } from '@crc/testing';

interface NoteBoard extends AggregateDocument {
  centerId: string;
  notes: string[];
  version: number;
}

const entry = (eventId: string): OutboxEntry => ({ eventId, topic: 'crc.test.note-added.v1', key: eventId, value: '{}' });

/**
 * The aggregate store on the suite's real store (the local FerretDB): the profile it detects, and
 * concurrent changes of one aggregate in one process, which FerretDB alone would lose (its updates
 * are read, modify, write without isolation), each with its event handed to a real relay.
 */
describe('aggregate store on the real store', () => {
  let client: MongoClient;
  let profile: StoreProfile;
  let boards: Collection<NoteBoard>;
  let published: Collection<PublishedEventRecord>;
  let relay: OutboxRelay;
  let store: AggregateStore<NoteBoard>;
  const delivered: string[] = [];

  beforeAll(async () => {
    const uri = process.env.MONGODB_URI!;
    profile = await detectStore(uri, { timeoutMs: 10_000 });
    client = await MongoClient.connect(uri, profile.connectionOptions());
    const db = client.db(`t${randomBytes(4).toString('hex')}-aggregate-store`);
    boards = db.collection<NoteBoard>('boards');
    published = db.collection<PublishedEventRecord>(publishedEventsCollectionName('boards'));
    relay = new OutboxRelay(boards as never, published, { deliver: async (entries) => void delivered.push(...entries.map((e) => e.eventId)) }, silentLog, {
      sweepIntervalMs: 60_000,
      recordLingerMs: 0,
      exclusive: (keys, work) => profile.exclusive(keys, work),
      byKeys: profile,
    });
    relay.start();
    store = new AggregateStore(boards, relay, profile);
  });

  afterAll(async () => {
    await relay?.stop();
    await boards?.db.dropDatabase();
    await client?.close();
  });

  it("detects the suite's store as FerretDB, and runs it with the settings FerretDB needs", () => {
    expect(profile.kind).toBe('ferretdb');
    expect(profile.atomicUpdates).toBe(false);
    expect(profile.connectionOptions()).toEqual({ maxPoolSize: 32, retryWrites: false });
  });

  it('keeps both of two concurrent changes of one aggregate, and publishes both their events', async () => {
    expect(await store.insert({ _id: 'board-2', centerId: 'c', notes: [], version: 0 }, [entry('board-2-opened')])).toBe('inserted');
    await Promise.all(
      ['first', 'second'].map((note) =>
        store.modify('board-2', { centerId: 'c' }, () => ({ result: undefined, change: { push: { notes: note }, events: [entry(`board-2-${note}`)] } })),
      ),
    );
    const stored = await boards.findOne({ _id: 'board-2' });
    expect(stored?.notes.sort()).toEqual(['first', 'second']);
    expect(stored?.version).toBe(2);
    expect(stored?.outbox.map((e) => e.eventId).sort()).toEqual(['board-2-first', 'board-2-opened', 'board-2-second']);
    await eventually(
      async () => (await published.find({ documentId: 'board-2' }).toArray()).map((r) => r._id).sort(),
      (ids) => ids.length === 3,
      { what: "the relay to record board-2's three events", timeoutMs: 10_000, intervalMs: 50 },
    );
    expect([...delivered].filter((id) => id.startsWith('board-2-')).sort()).toEqual(['board-2-first', 'board-2-opened', 'board-2-second']);
  });

  it('keeps every one of many concurrent changes of one aggregate', async () => {
    await store.insert({ _id: 'board-20', centerId: 'c', notes: [], version: 0 }, []);
    const notes = Array.from({ length: 20 }, (_, i) => `note-${i}`);
    await Promise.all(notes.map((note) => store.modify('board-20', {}, () => ({ result: undefined, change: { push: { notes: note }, events: [] } }))));
    const stored = await boards.findOne({ _id: 'board-20' });
    expect(stored?.notes.sort()).toEqual([...notes].sort());
    expect(stored?.version).toBe(20);
  });

  it('answers exists for an aggregate stored before, and leaves it as it was', async () => {
    await store.insert({ _id: 'board-x', centerId: 'c', notes: ['kept'], version: 0 }, [entry('board-x-opened')]);
    expect(await store.insert({ _id: 'board-x', centerId: 'other', notes: [], version: 0 }, [entry('board-x-again')])).toBe('exists');
    expect(await boards.findOne({ _id: 'board-x' })).toMatchObject({ centerId: 'c', notes: ['kept'], outbox: [entry('board-x-opened')] });
  });
});
