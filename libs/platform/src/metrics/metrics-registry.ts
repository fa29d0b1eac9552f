import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The service's Prometheus registry, one per application (never prom-client's global one), so
 * that services sharing a process, as in the end-to-end tests, never mix their metrics.
 * Every series carries `service`; process metrics (CPU, memory, event loop, GC) come with it.
 */
export class MetricsRegistry extends Registry {
  static forService(serviceName: string): MetricsRegistry {
    const registry = new MetricsRegistry();
    registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: registry });
    return registry;
  }
}
