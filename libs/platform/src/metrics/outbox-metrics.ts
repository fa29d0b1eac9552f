import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** What the gauge asks of an outbox relay. */
export interface OutboxBacklog {
  backlog(): number;
}

/**
 * The outbox backlog: documents whose events are not yet published, per outbox collection, as the
 * relay knows them (waiting for the hand-off, or failed at the last attempt). A growing backlog
 * means the broker is away or the relay is stuck.
 */
export class OutboxMetrics {
  private readonly relays = new Map<string, OutboxBacklog>();

  constructor(registry: MetricsRegistry) {
    const relays = this.relays;
    new Gauge({
      name: 'crc_outbox_pending_documents',
      help: 'Documents with events still to publish, per outbox collection.',
      labelNames: ['collection'],
      registers: [registry],
      collect() {
        for (const [name, relay] of relays) this.set({ collection: name }, relay.backlog());
      },
    });
  }

  track(collectionName: string, relay: OutboxBacklog): void {
    this.relays.set(collectionName, relay);
  }
}
