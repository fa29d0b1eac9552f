import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { RecordVisitEventsUseCase, VISIT_EVENT_DEFINITIONS } from '@crc/attribution';
import { ConsumerCatchUpGate, deadLetterTopic, EventConsumer, EventPublisher, KafkaConnection, KafkaConsumerMetrics, ReadinessGates } from '@crc/platform';
import { ReportingEnvironment } from './reporting.environment';

/**
 * Feeds the visit events of every producing service into the attribution context. Uses the
 * platform's consumer loop: contract validation, dead-letter topic, commit after the write.
 */
@Injectable()
export class VisitEventsMessageController implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer?: EventConsumer;
  private starting?: Promise<void>;
  private closed = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly recordVisitEvents: RecordVisitEventsUseCase,
    private readonly config: ReportingEnvironment,
    private readonly log: PinoLogger,
    private readonly metrics: KafkaConsumerMetrics,
    private readonly readiness: ReadinessGates,
  ) {
    log.setContext('VisitEventsMessageController');
  }

  onApplicationBootstrap(): void {
    if (this.config.REPORTING_CONSUMER_ENABLED !== 'true') return;
    this.consumer = new EventConsumer(this.connection.kafka, this.connection.topics, this.publisher, this.log, {
      groupId: this.config.REPORTING_CONSUMER_GROUP,
      service: 'reporting',
      definitions: VISIT_EVENT_DEFINITIONS,
      handle: (events) => this.recordVisitEvents.execute(events),
      metrics: this.metrics,
    });
    const consumer = this.consumer;
    // Not ready until the consumer consumes: right after a start, feeds would otherwise lag by
    // the group's join and the catch-up (18 s were measured) while the service said ready.
    this.readiness.register(new ConsumerCatchUpGate(() => consumer.assignedLag(), this.config.READY_MAX_CONSUMER_LAG));
    // In the background: the HTTP side serves the feeds even while the broker is away.
    this.starting = (async () => {
      for (let attempt = 1; !this.closed; attempt++) {
        try {
          await this.connection.ensureTopics([...VISIT_EVENT_DEFINITIONS.map((d) => d.topic), deadLetterTopic('reporting')]);
          if (!this.closed) await consumer.start();
          return;
        } catch (error) {
          this.log.warn({ attempt, err: error }, 'visit-event consumer cannot start yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
        }
      }
    })();
  }

  /** Lets the batch in progress finish and commit before the process goes. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.starting;
    await this.consumer?.stop();
  }
}
