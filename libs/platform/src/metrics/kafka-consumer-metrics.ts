import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/**
 * What a consumer loop reports: its lag per partition it owns (as of its last batch), the events
 * it handled and those it sent to the dead-letter topic. The lag seen by the broker, for every
 * partition whoever owns it, is Kafka Exporter's `kafka_consumergroup_lag` (deploy/k8s).
 */
export class KafkaConsumerMetrics {
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly consumed: Counter<'group' | 'topic'>;
  private readonly deadLettered: Counter<'group' | 'topic'>;
  /** Partitions this process reports lag for, per group: `topic/partition`. */
  private readonly owned = new Map<string, Set<string>>();

  constructor(registry: MetricsRegistry) {
    this.lag = new Gauge({
      name: 'crc_kafka_consumer_lag',
      help: 'Messages behind the end of the partition, as of the last batch this instance fetched.',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    this.consumed = new Counter({
      name: 'crc_kafka_events_consumed_total',
      help: 'Events that passed their contract and were handled.',
      labelNames: ['group', 'topic'],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'crc_kafka_dead_letters_total',
      help: 'Events sent to the dead-letter topic, by the topic they came from.',
      labelNames: ['group', 'topic'],
      registers: [registry],
    });
  }

  /** `nextOffset` is the offset of the next message to handle; the high watermark that after the last one. */
  recordPosition(group: string, topic: string, partition: number, highWatermark: string, nextOffset: string): void {
    const behind = Math.max(0, Number(BigInt(highWatermark) - BigInt(nextOffset)));
    this.lag.set({ group, topic, partition: String(partition) }, behind);
    let owned = this.owned.get(group);
    if (!owned) this.owned.set(group, (owned = new Set()));
    owned.add(`${topic}/${partition}`);
  }

  /** After a rebalance: stop reporting partitions another instance now owns. */
  assigned(group: string, assignment: Record<string, number[]>): void {
    const keep = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}/${p}`)));
    const owned = this.owned.get(group) ?? new Set<string>();
    for (const key of owned) {
      if (keep.has(key)) continue;
      const at = key.lastIndexOf('/');
      this.lag.remove({ group, topic: key.slice(0, at), partition: key.slice(at + 1) });
      owned.delete(key);
    }
  }

  handled(group: string, topic: string, events: number): void {
    this.consumed.inc({ group, topic }, events);
  }

  sentToDeadLetter(group: string, topic: string, events: number): void {
    this.deadLettered.inc({ group, topic }, events);
  }
}
