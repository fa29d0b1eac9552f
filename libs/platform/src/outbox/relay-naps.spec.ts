import { RelayNaps } from './relay-naps';

describe('RelayNaps', () => {
  it("wakes the sweep's nap on a failed hand-off, and every nap on stop", async () => {
    const naps = new RelayNaps();
    const woke: string[] = [];
    const sweep = naps.sleep(60_000, { wakeForSweep: true }).then(() => woke.push('sweep'));
    const compaction = naps.sleep(60_000, { wakeForSweep: false }).then(() => woke.push('compaction'));
    naps.wakeSweep();
    await sweep;
    expect(woke).toEqual(['sweep']);
    naps.wakeAll();
    await compaction;
    expect(woke).toEqual(['sweep', 'compaction']);
  });
});
