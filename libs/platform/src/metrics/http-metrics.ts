import { Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** Request rates and latencies: `rate(..._count)` is the request rate, the buckets the latency. */
export class HttpMetrics {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code, and how long they took.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** `route` is the template (`/v1/centers/:centerId/check-ins`), never the URL: ids would explode the series. */
  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.duration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
