import type { ReadinessGate } from '../health/readiness-gates';

/**
 * Ready once the consumer consumes: it has joined its group and been given its partitions (with
 * more members than partitions, possibly none), and is at most `maxLag` events behind their end.
 * Once met, the gate stays met for the life of the process: a later Kafka outage or a burst of
 * events must not take the service's HTTP side (feeds, dashboard) out of its load balancer; lag
 * from then on is `/metrics`' and the alerts' business (deploy/observability).
 */
export class ConsumerCatchUpGate implements ReadinessGate {
  readonly name = 'consumer';
  private caughtUp = false;
  private last?: { at: number; result: Promise<{ ready: boolean; detail?: string }> };

  constructor(
    private readonly lagOfAssignment: () => Promise<number | undefined>,
    private readonly maxLag: number,
    /** Probes come often (tests poll every 100 ms); the broker is asked at most this often. */
    private readonly minIntervalMs = 500,
  ) {}

  check(): Promise<{ ready: boolean; detail?: string }> {
    if (this.caughtUp) return Promise.resolve({ ready: true });
    if (this.last && Date.now() - this.last.at < this.minIntervalMs) return this.last.result;
    const result = (async () => {
      const lag = await this.lagOfAssignment();
      if (lag === undefined) return { ready: false, detail: 'not in its consumer group yet' };
      if (lag > this.maxLag) return { ready: false, detail: `${lag} events behind (at most ${this.maxLag})` };
      this.caughtUp = true;
      return { ready: true };
    })().catch(() => ({ ready: false, detail: 'lag unknown (broker unreachable)' }));
    this.last = { at: Date.now(), result };
    return result;
  }
}
