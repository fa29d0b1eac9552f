import { percentile } from './stats';

export interface RouteLatency {
  route: string;
  requests: number;
  /** Answers other than 2xx (and failed connections), by status. */
  errors: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** A bulk route (a roster upload, a kiosk's offline batch): its size per request, for the reader. */
  bulk?: string;
}

/** Latency and statuses per route template (`POST /v1/centers/:centerId/check-ins`). */
export class RouteRecorder {
  private readonly samples = new Map<string, { latencies: number[]; statuses: Record<string, number>; errors: number; sizes: number[]; unit?: string }>();

  record(route: string, status: number, ms: number, bulk?: { items: number; unit: string }): void {
    const entry = this.samples.get(route) ?? { latencies: [], statuses: {}, errors: 0, sizes: [] };
    this.samples.set(route, entry);
    entry.latencies.push(ms);
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    if (status < 200 || status >= 300) entry.errors++;
    if (bulk) {
      entry.sizes.push(bulk.items);
      entry.unit = bulk.unit;
    }
  }

  routes(): RouteLatency[] {
    return [...this.samples]
      .map(([route, e]) => ({
        route,
        requests: e.latencies.length,
        errors: e.errors,
        statuses: e.statuses,
        p50Ms: percentile(e.latencies, 50),
        p99Ms: percentile(e.latencies, 99),
        maxMs: percentile(e.latencies, 100),
        ...(e.unit ? { bulk: `${Math.min(...e.sizes)}–${Math.max(...e.sizes)} ${e.unit} a request` } : {}),
      }))
      .sort((a, b) => b.p99Ms - a.p99Ms);
  }
}
