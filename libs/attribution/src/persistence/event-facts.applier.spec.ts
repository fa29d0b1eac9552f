import { EventFacts } from '../domain/event-facts';
import { InMemoryCollection } from '../usecases/attribution-ports.in-memory';
import { EventFactsApplier } from './event-facts.applier';

interface Doc {
  _id: string;
  appliedEventIds: string[];
  [field: string]: unknown;
}

const checkIn = (eventId: string, id = 'v1'): EventFacts => ({
  id,
  eventId,
  set: { checkInSeen: true, centerId: 'crc-metro-la', purposes: ['EXERCISE_CLASS'] },
  setOnInsert: {},
});
const checkOut = (eventId: string, id = 'v1'): EventFacts => ({
  id,
  eventId,
  set: { checkedOutAt: 'out' },
  setOnInsert: { centerId: 'crc-metro-la', checkInSeen: false },
});

function applier() {
  const collection = new InMemoryCollection<Doc>();
  return { collection, facts: new EventFactsApplier(collection) };
}

/** A document without the applier's bookkeeping, for comparing outcomes. */
const content = (doc: Doc | undefined) => {
  if (!doc) return undefined;
  const rest: Partial<Doc> = { ...doc };
  delete rest.updatedAt;
  return { ...rest, appliedEventIds: [...doc.appliedEventIds].sort() };
};

describe('EventFactsApplier', () => {
  it('applies each event once: a redelivered event writes nothing and returns the document as stored', async () => {
    const { collection, facts } = applier();
    await facts.apply([checkIn('e1')]);
    const writes = collection.statements.inserts + collection.statements.upserts;

    const after = await facts.apply([checkIn('e1'), checkIn('e1')]);

    expect(collection.statements.inserts + collection.statements.upserts).toBe(writes);
    expect(content(after.get('v1'))).toEqual(content(collection.docs.get('v1')));
    expect(collection.docs.get('v1')!.appliedEventIds).toEqual(['e1']);
  });

  it('converges whatever the order: a check-out overtaking its check-in does not undo what the check-in says', async () => {
    const inOrder = applier();
    await inOrder.facts.apply([checkIn('e1')]);
    await inOrder.facts.apply([checkOut('e2')]);

    const overtaken = applier();
    await overtaken.facts.apply([checkOut('e2')]);
    await overtaken.facts.apply([checkIn('e1')]);

    const together = applier();
    await together.facts.apply([checkOut('e2'), checkIn('e1')]);

    const expected = {
      _id: 'v1',
      checkInSeen: true,
      centerId: 'crc-metro-la',
      purposes: ['EXERCISE_CLASS'],
      checkedOutAt: 'out',
      appliedEventIds: ['e1', 'e2'],
    };
    expect(content(inOrder.collection.docs.get('v1'))).toEqual(expected);
    expect(content(overtaken.collection.docs.get('v1'))).toEqual(expected);
    expect(content(together.collection.docs.get('v1'))).toEqual(expected);
  });

  it('reads once per batch and writes each touched document at most once', async () => {
    const { collection, facts } = applier();
    await facts.apply([checkIn('e1', 'v1')]);
    collection.statements.reads = collection.statements.inserts = collection.statements.upserts = 0;

    await facts.apply([checkIn('e2', 'v2'), checkOut('e3', 'v2'), checkOut('e4', 'v1'), checkIn('e1', 'v1')]);

    expect(collection.statements).toEqual({ reads: 1, inserts: 1, upserts: 1 });
  });

  it('tells decorate which documents changed and which it created, and writes its fields with the facts', async () => {
    const { collection, facts } = applier();
    await facts.apply([checkIn('e1', 'old')]);
    const seen: { changed: string[]; created: string[] } = { changed: [], created: [] };

    const after = await facts.apply([checkIn('e1', 'old'), checkIn('e2', 'new'), checkOut('e3', 'older')], async (changed, created) => {
      seen.changed = changed.map((d) => d._id).sort();
      seen.created = [...created].sort();
      return new Map(changed.map((d) => [d._id, { attribution: `for ${d._id}` }]));
    });

    // 'old' only saw its event again: not changed, not decorated, not rewritten.
    expect(seen).toEqual({ changed: ['new', 'older'], created: ['new', 'older'] });
    expect(collection.docs.get('new')!.attribution).toBe('for new');
    expect(after.get('older')!.attribution).toBe('for older');
    expect(collection.docs.get('old')!.attribution).toBeUndefined();
  });

  it('applies its facts to a document another writer created meanwhile, instead of losing them', async () => {
    const { collection, facts } = applier();
    collection.beforeInsert = (id) => collection.docs.set(id, { _id: id, appliedEventIds: ['theirs'], checkedOutAt: 'theirs', centerId: 'crc-metro-la' });

    await facts.apply([checkIn('e1')]);

    expect(content(collection.docs.get('v1'))).toEqual({
      _id: 'v1',
      checkInSeen: true,
      centerId: 'crc-metro-la',
      purposes: ['EXERCISE_CLASS'],
      checkedOutAt: 'theirs',
      appliedEventIds: ['e1', 'theirs'],
    });
  });

  it('writes a check-out and its check-in arriving together onto a document created meanwhile, the check-in’s facts winning', async () => {
    const { collection, facts } = applier();
    collection.beforeInsert = (id) => collection.docs.set(id, { _id: id, appliedEventIds: ['theirs'], checkInSeen: false });

    await facts.apply([checkOut('e2'), checkIn('e1')]);

    expect(collection.docs.get('v1')).toMatchObject({ checkInSeen: true, checkedOutAt: 'out', appliedEventIds: ['theirs', 'e2', 'e1'] });
  });
});
