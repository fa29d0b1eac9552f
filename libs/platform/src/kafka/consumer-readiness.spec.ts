import { ConsumerCatchUpGate } from './consumer-readiness';

describe('ConsumerCatchUpGate', () => {
  const gate = (lags: Array<number | undefined | Error>, maxLag = 10) => {
    const calls = { count: 0 };
    const source = async () => {
      const next = lags[Math.min(calls.count++, lags.length - 1)];
      if (next instanceof Error) throw next;
      return next;
    };
    return { gate: new ConsumerCatchUpGate(source, maxLag, 0), calls };
  };

  it('is not ready before the consumer joined its group, nor while it is too far behind', async () => {
    const { gate: g } = gate([undefined, 500, 11]);
    expect(await g.check()).toEqual({ ready: false, detail: 'not in its consumer group yet' });
    expect(await g.check()).toEqual({ ready: false, detail: '500 events behind (at most 10)' });
    expect(await g.check()).toEqual({ ready: false, detail: '11 events behind (at most 10)' });
  });

  it('is ready once caught up within the bound, and stays ready without asking the broker again', async () => {
    const { gate: g, calls } = gate([40, 10, 9999, undefined]);
    expect((await g.check()).ready).toBe(false);
    expect(await g.check()).toEqual({ ready: true });
    expect(await g.check()).toEqual({ ready: true });
    expect(calls.count).toBe(2);
  });

  it('is not ready when the lag cannot be read', async () => {
    const { gate: g } = gate([new Error('broker away')]);
    expect(await g.check()).toEqual({ ready: false, detail: 'lag unknown (broker unreachable)' });
  });

  it('asks the broker at most once per interval', async () => {
    let calls = 0;
    const g = new ConsumerCatchUpGate(async () => (calls++, 50), 10, 60_000);
    await Promise.all([g.check(), g.check(), g.check()]);
    expect(calls).toBe(1);
  });
});
