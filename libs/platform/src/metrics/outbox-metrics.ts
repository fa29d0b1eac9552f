import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** What counting needs of a collection; the driver's and mongoose's both fit. */
export interface CountableCollection {
  readonly collectionName: string;
  countDocuments(filter: { outboxPending: true }): Promise<number>;
}

/** Gives up on a count after this long, so a sick store never stalls a scrape. */
const COUNT_TIMEOUT_MS = 2000;

/**
 * The outbox backlog: documents whose events are not yet published (`outboxPending: true`), per
 * outbox collection, counted when Prometheus scrapes. A growing backlog means the broker is away
 * or the relay is stuck. A count that fails drops the series, so its absence can be alerted on.
 */
export class OutboxMetrics {
  private readonly collections = new Map<string, CountableCollection>();

  constructor(registry: MetricsRegistry) {
    const collections = this.collections;
    new Gauge({
      name: 'crc_outbox_pending_documents',
      help: 'Documents with events still to publish (outboxPending: true), per outbox collection.',
      labelNames: ['collection'],
      registers: [registry],
      async collect() {
        await Promise.all(
          [...collections].map(async ([name, collection]) => {
            let timer: NodeJS.Timeout | undefined;
            try {
              const count = await Promise.race([
                collection.countDocuments({ outboxPending: true }),
                new Promise<never>((_, reject) => {
                  timer = setTimeout(() => reject(new Error('timeout')), COUNT_TIMEOUT_MS);
                }),
              ]);
              this.set({ collection: name }, count);
            } catch {
              this.remove({ collection: name });
            } finally {
              clearTimeout(timer);
            }
          }),
        );
      },
    });
  }

  track(collection: CountableCollection): void {
    this.collections.set(collection.collectionName, collection);
  }
}
