import { DocumentLocks } from './document-locks';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('DocumentLocks', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const locks = new DocumentLocks();
    const log: string[] = [];
    const job = (name: string) =>
      locks.run('visits:1', async () => {
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
      });
    await Promise.all([job('a'), job('b'), job('c')]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets work on different keys overlap', async () => {
    const locks = new DocumentLocks();
    const log: string[] = [];
    const job = (key: string) =>
      locks.run(key, async () => {
        log.push(`${key} start`);
        await tick();
        log.push(`${key} end`);
      });
    await Promise.all([job('x'), job('y')]);
    expect(log.slice(0, 2)).toEqual(['x start', 'y start']);
  });

  it('takes several keys without deadlock against single-key work, and releases them on failure', async () => {
    const locks = new DocumentLocks();
    const order: string[] = [];
    const many = locks.run(['b', 'a'], async () => {
      order.push('many');
      await tick();
      throw new Error('boom');
    });
    const single = locks.run('a', async () => {
      order.push('single');
    });
    await expect(many).rejects.toThrow('boom');
    await single;
    expect(order).toEqual(['many', 'single']);
    // Nothing is left held.
    await expect(locks.run(['a', 'b'], async () => 'free')).resolves.toBe('free');
  });

  it('simulates the lost update it prevents: read-modify-write stays correct under the lock', async () => {
    const locks = new DocumentLocks();
    const store = { n: 0 };
    const increment = async () => {
      const read = store.n;
      await tick();
      store.n = read + 1;
    };
    await Promise.all(Array.from({ length: 50 }, () => increment()));
    const unlocked = store.n;
    store.n = 0;
    await Promise.all(Array.from({ length: 50 }, () => locks.run('doc', increment)));
    expect(unlocked).toBeLessThan(50);
    expect(store.n).toBe(50);
  });
});
