import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { BackgroundConsumer, EventConsumer, EventPublisher, KafkaConnection, KafkaConsumerMetrics } from '@crc/platform';
import { RecordCheckedInVisitsUseCase } from '@crc/visit-directory';

/** The consumer group of telehealth's visit directory (its KafkaUser may read `crc.telehealth.*` groups). */
export const TELEHEALTH_VISITS_CONSUMER_GROUP = 'crc.telehealth.known-visits.v1';

/** Feeds check-ins into the visit directory, so a Wi-Fi session names a visit of its own center only. */
@Injectable()
export class VisitEventsMessageController implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: BackgroundConsumer;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly recordCheckedInVisits: RecordCheckedInVisitsUseCase,
    private readonly log: PinoLogger,
    private readonly metrics: KafkaConsumerMetrics,
  ) {
    log.setContext('VisitEventsMessageController');
  }

  onApplicationBootstrap(): void {
    const consumer = new EventConsumer(this.connection.kafka, this.connection.topics, this.publisher, this.log, {
      groupId: TELEHEALTH_VISITS_CONSUMER_GROUP,
      service: 'telehealth',
      definitions: [VisitCheckedInV1Event],
      handle: (events) => this.recordCheckedInVisits.execute(events),
      metrics: this.metrics,
    });
    this.consumer = new BackgroundConsumer(this.connection, consumer, [VisitCheckedInV1Event.topic], this.log);
    this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
