import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { BackgroundConsumer, ConsumerCatchUpGate, EventConsumer, EventPublisher, KafkaConnection, KafkaConsumerMetrics, ReadinessGates } from '@crc/platform';
import { RecordCheckedInVisitsUseCase } from './usecases/record-checked-in-visits/record-checked-in-visits.usecase';
import { VISIT_DIRECTORY_OPTIONS, VisitDirectoryOptions } from './visit-directory.options';

/** The consumer group a producing service's visit directory reads check-ins with (its KafkaUser may read `crc.<service>.*` groups). */
export const knownVisitsConsumerGroup = (service: string) => `crc.${service}.known-visits.v1`;

/** Feeds check-ins into the visit directory, so a service names visits of its own center only. */
@Injectable()
export class CheckedInVisitsMessageConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: BackgroundConsumer;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly recordCheckedInVisits: RecordCheckedInVisitsUseCase,
    private readonly log: PinoLogger,
    private readonly metrics: KafkaConsumerMetrics,
    private readonly readiness: ReadinessGates,
    @Inject(VISIT_DIRECTORY_OPTIONS) private readonly options: VisitDirectoryOptions,
  ) {
    log.setContext('CheckedInVisitsMessageConsumer');
  }

  onApplicationBootstrap(): void {
    const consumer = new EventConsumer(this.connection.kafka, this.connection.topics, this.publisher, this.log, {
      groupId: knownVisitsConsumerGroup(this.options.service),
      service: this.options.service,
      definitions: [VisitCheckedInV1Event],
      handle: (events) => this.recordCheckedInVisits.execute(events),
      metrics: this.metrics,
    });
    // Not ready until the directory has caught up: before that, a help case or Wi-Fi session naming
    // a visit just checked in would be refused as not of this center.
    this.readiness.register(new ConsumerCatchUpGate(() => consumer.assignedLag(), this.options.readyMaxConsumerLag));
    this.consumer = new BackgroundConsumer(this.connection, consumer, [VisitCheckedInV1Event.topic], this.log);
    this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
