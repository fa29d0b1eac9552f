/**
 * A token bucket per caller: `perMinute` requests a minute on average, bursts up to a minute's
 * worth. In memory, per process: each instance limits what it serves (a cluster multiplies the
 * limit by its replicas, which is the intent: protect each instance).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxCallers = 100_000,
  ) {}

  /** Takes a token; returns undefined when allowed, else the seconds to wait. */
  take(caller: string, now = Date.now()): number | undefined {
    if (this.perMinute <= 0) return undefined;
    const refillPerMs = this.perMinute / 60_000;
    let bucket = this.buckets.get(caller);
    if (!bucket) {
      // Bounded: a flood of distinct callers (forged tokens) cannot grow this without limit.
      if (this.buckets.size >= this.maxCallers) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: this.perMinute, updatedAt: now };
      this.buckets.set(caller, bucket);
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
  }
}
