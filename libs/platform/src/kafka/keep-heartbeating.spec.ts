import { keepHeartbeating } from './keep-heartbeating';

// Fake timers: the intervals under test are counted, not waited for, so a loaded machine that
// runs a timer late cannot change what these tests see.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keepHeartbeating', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a heartbeat every interval while long work runs, and none after it', async () => {
    let beats = 0;
    const running = keepHeartbeating(
      async () => {
        beats++;
      },
      20,
      async () => {
        await sleep(130);
        return 'done';
      },
    );
    await jest.advanceTimersByTimeAsync(130);
    await expect(running).resolves.toBe('done');
    expect(beats).toBe(6);
    await jest.advanceTimersByTimeAsync(200);
    expect(beats).toBe(6);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never has two heartbeats in flight, and a failed one does not fail the work', async () => {
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    const running = keepHeartbeating(
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
    // The work ends at 150 ms; the beat begun at 110 ms ends at 155 ms, and the call returns then.
    await jest.advanceTimersByTimeAsync(160);
    await running;
    // Beats begin at 10, 60 and 110 ms: each interval that fires while one is in flight is skipped.
    expect(calls).toBe(3);
    expect(most).toBe(1);
  });

  it('waits for the heartbeat in flight before it returns', async () => {
    let finished = false;
    const running = keepHeartbeating(
      async () => {
        await sleep(45);
        finished = true;
      },
      10,
      () => sleep(20),
    );
    let returned = false;
    void running.then(() => (returned = true));
    await jest.advanceTimersByTimeAsync(20);
    expect(returned).toBe(false);
    await jest.advanceTimersByTimeAsync(35);
    expect(returned).toBe(true);
    expect(finished).toBe(true);
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
