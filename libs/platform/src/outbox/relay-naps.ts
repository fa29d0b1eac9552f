/**
 * The relay's loops sleep here: `stop` wakes them all, and a failed hand-off wakes the sweep at
 * once (`wakeSweep`).
 */
export class RelayNaps {
  private readonly sleepers = new Set<() => void>();
  private sweepSleeper?: () => void;

  sleep(ms: number, options: { wakeForSweep: boolean }): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        if (this.sweepSleeper === done) this.sweepSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
      if (options.wakeForSweep) this.sweepSleeper = done;
    });
  }

  wakeSweep(): void {
    this.sweepSleeper?.();
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
