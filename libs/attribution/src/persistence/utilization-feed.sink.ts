import { Injectable } from '@nestjs/common';
import { parseEvent, UtilizationRecordedV1Events } from '@crc/contracts';
import { EventPublisher, kafkaOutboxSink, OutboxEntry, OutboxSink } from '@crc/platform';
import { DisclosureLedger } from './disclosure-ledger.repository';
import { UtilizationFeedRepository } from './utilization-feed.repository';

/**
 * Delivers a revision's feed entries: first into the plan's pull feed (idempotent per entry,
 * which also gives each its position), then to the plan's Kafka topic. A crash in between
 * delivers again; both steps tolerate that.
 */
@Injectable()
export class UtilizationFeedSink implements OutboxSink {
  private readonly kafka: OutboxSink;

  constructor(
    private readonly feed: UtilizationFeedRepository,
    private readonly ledger: DisclosureLedger,
    publisher: EventPublisher,
  ) {
    this.kafka = kafkaOutboxSink(publisher);
  }

  async deliver(entries: OutboxEntry[], options: { firstAttempt?: boolean } = {}): Promise<void> {
    const records = entries.map((entry) => {
      const definition = Object.values(UtilizationRecordedV1Events).find((d) => d.topic === entry.topic);
      if (!definition) throw new Error(`feed entry on unexpected topic ${entry.topic}`);
      return parseEvent(definition, JSON.parse(entry.value)).data;
    });
    await this.feed.append(records, { firstAttempt: options.firstAttempt });
    // The plan's topic is a disclosure like any other; recorded before it happens.
    for (const [plan, definition] of Object.entries(UtilizationRecordedV1Events)) {
      const ofPlan = records.filter((r) => r.feedPlan === plan);
      if (ofPlan.length === 0) continue;
      await this.ledger.record({
        plan: plan as keyof typeof UtilizationRecordedV1Events,
        recipient: `kafka:${definition.topic}`,
        channel: 'KAFKA_TOPIC',
        fields: [
          ...new Set(
            ofPlan.flatMap((r) =>
              Object.entries(r)
                .filter(([, v]) => v !== undefined)
                .map(([k]) => k),
            ),
          ),
        ].sort(),
        containsPhi: ofPlan.some((r) => r.memberId !== undefined),
        records: ofPlan.length,
        range: { recordIds: ofPlan.map((r) => r.recordId) },
      });
    }
    await this.kafka.deliver(entries);
  }
}
