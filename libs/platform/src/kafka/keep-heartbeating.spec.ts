import { keepHeartbeating } from './keep-heartbeating';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keepHeartbeating', () => {
  it('sends heartbeats while long work runs, and none after it', async () => {
    let beats = 0;
    const result = await keepHeartbeating(
      async () => {
        beats++;
      },
      20,
      async () => {
        await sleep(130);
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(beats).toBeGreaterThanOrEqual(4);
    const after = beats;
    await sleep(60);
    expect(beats).toBe(after);
  });

  it('never has two heartbeats in flight, and a failed one does not fail the work', async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    await keepHeartbeating(
      async () => {
        calls++;
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(45);
        inFlight--;
        if (calls === 1) throw new Error('REBALANCE_IN_PROGRESS');
      },
      10,
      () => sleep(150),
    );
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(most).toBe(1);
  });

  it("passes the work's failure on", async () => {
    await expect(
      keepHeartbeating(
        async () => undefined,
        10,
        () => Promise.reject(new Error('store down')),
      ),
    ).rejects.toThrow('store down');
  });
});
