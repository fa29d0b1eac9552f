import { silentLog } from '../logging/log-sink';
import { StoreProfile } from '../store/store-profile';
import { OutboxEntry } from './outbox-entry';
import { OutboxPublishing } from './outbox-publishing';

const entry = (eventId: string): OutboxEntry => ({ eventId, topic: 'crc.test.v1', key: eventId, value: '{}' });
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('OutboxPublishing', () => {
  it('leaves what it could not publish to the sweep, wakes it, and takes it back if the sweep fails too', async () => {
    const records: unknown[] = [];
    const published = { insertMany: async (docs: unknown[]) => void records.push(...docs), find: () => ({ toArray: async () => [] }) };
    let wakes = 0;
    const publishing = new OutboxPublishing({} as never, published as never, { deliver: async () => Promise.reject(new Error('broker away')) }, silentLog, {
      batchSize: 10,
      recordLingerMs: 0,
      byKeys: new StoreProfile('mongodb'),
      isRunning: () => true,
      onFailure: () => wakes++,
    });
    publishing.handOff('v1', [entry('e1')]);
    expect(publishing.isBusy('v1')).toBe(true);
    await settle();
    expect(wakes).toBe(1);
    expect(publishing.isBusy('v1')).toBe(false);
    expect(records).toEqual([]);
    expect(publishing.failed()).toBe(1);
    const taken = publishing.takeRetries();
    expect(taken).toEqual(['v1']);
    expect(publishing.failed()).toBe(0);
    publishing.giveBack(taken);
    expect(publishing.takeRetries()).toEqual(['v1']);
  });

  it('ignores hand-offs once stopped', async () => {
    const delivered: string[] = [];
    const publishing = new OutboxPublishing(
      {} as never,
      {} as never,
      { deliver: async (entries) => void delivered.push(...entries.map((e) => e.eventId)) },
      silentLog,
      {
        batchSize: 10,
        recordLingerMs: 0,
        byKeys: new StoreProfile('mongodb'),
        isRunning: () => false,
        onFailure: () => undefined,
      },
    );
    publishing.handOff('v1', [entry('e1')]);
    await settle();
    expect(delivered).toEqual([]);
    expect(publishing.waiting()).toBe(0);
  });
});
