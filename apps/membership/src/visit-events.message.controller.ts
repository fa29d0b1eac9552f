import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { BackgroundConsumer, EventConsumer, EventPublisher, KafkaConnection, KafkaConsumerMetrics } from '@crc/platform';
import { RecordCheckedInVisitsUseCase } from '@crc/visit-directory';

/** The consumer group of membership's visit directory (its KafkaUser may read `crc.membership.*` groups). */
export const MEMBERSHIP_VISITS_CONSUMER_GROUP = 'crc.membership.known-visits.v1';

/** Feeds check-ins into the visit directory, so a help case names a visit of its own center only. */
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
      groupId: MEMBERSHIP_VISITS_CONSUMER_GROUP,
      service: 'membership',
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
