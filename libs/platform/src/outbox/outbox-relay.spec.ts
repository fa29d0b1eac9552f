import { silentLog } from '../logging/log-sink';
import { OutboxEntry } from './outbox-entry';
import { OutboxRelay } from './outbox-relay';

const entry = (eventId: string): OutboxEntry => ({ eventId, topic: 'crc.test.v1', key: eventId, value: '{}' });
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A collection with nothing left for the sweep, whose removals wait until the test lets them go. */
function heldCollection() {
  const removals: Array<{ ids: string[]; release: () => void }> = [];
  const collection = {
    collectionName: 'visits',
    find: () => ({ limit: () => ({ toArray: async () => [] }) }),
    updateMany: (filter: { _id: { $in: string[] } }) =>
      new Promise<void>((resolve) => removals.push({ ids: filter._id.$in, release: resolve })),
  };
  return { collection, removals };
}

describe('OutboxRelay hand-off', () => {
  it('publishes a document handed off while the previous one is being removed', async () => {
    const { collection, removals } = heldCollection();
    const delivered: string[] = [];
    const relay = new OutboxRelay(collection as never, { deliver: async (entries) => void delivered.push(...entries.map((e) => e.eventId)) }, silentLog, {
      pollIntervalMs: 60_000,
    });
    relay.start();
    try {
      relay.handOff('visit-1', [entry('e1')]);
      await settle();
      expect(delivered).toEqual(['e1']);
      expect(removals.map((r) => r.ids)).toEqual([['visit-1']]);

      // The first hand-off is done sending and waits on its removal: a new one arrives now.
      relay.handOff('visit-2', [entry('e2')]);
      await settle();
      removals[0].release();
      await settle();
      expect(delivered).toEqual(['e1', 'e2']);
      removals[1]?.release();
    } finally {
      for (const r of removals) r.release();
      await relay.stop();
    }
  });

  it("sends each document's events in order, documents handed off together in one delivery per position", async () => {
    const { collection, removals } = heldCollection();
    const deliveries: string[][] = [];
    let unblock!: () => void;
    const firstDelivery = new Promise<void>((resolve) => (unblock = resolve));
    const relay = new OutboxRelay(
      collection as never,
      {
        deliver: async (entries) => {
          deliveries.push(entries.map((e) => e.eventId));
          if (deliveries.length === 1) await firstDelivery;
        },
      },
      silentLog,
      { pollIntervalMs: 60_000 },
    );
    relay.start();
    try {
      relay.handOff('a', [entry('a1')]);
      await settle();
      relay.handOff('b', [entry('b1'), entry('b2')]);
      relay.handOff('c', [entry('c1')]);
      unblock();
      await settle();
      for (const r of removals) r.release();
      await settle();
      expect(deliveries).toEqual([['a1'], ['b1', 'c1'], ['b2']]);
    } finally {
      for (const r of removals) r.release();
      await relay.stop();
    }
  });
});
