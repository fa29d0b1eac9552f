import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { RecordVisitEventsUseCase, VISIT_EVENT_DEFINITIONS } from '@crc/attribution';
import { ConsumedEvent, consumerGroup } from '@crc/platform';
import { ReportingEnvironment } from './reporting.environment';

/**
 * The group reporting reads the visit events of every producing service with. Off
 * (REPORTING_CONSUMER_ENABLED=false) for tools that only need the service's modules, such as the
 * rebuild, which replays the topics with a group of its own.
 */
export const VISIT_EVENTS_CONSUMER_GROUP = consumerGroup({
  inject: [ReportingEnvironment],
  useFactory: (config: ReportingEnvironment) => ({
    groupId: config.REPORTING_CONSUMER_GROUP,
    service: 'reporting',
    definitions: VISIT_EVENT_DEFINITIONS,
    enabled: config.REPORTING_CONSUMER_ENABLED === 'true',
    readyMaxConsumerLag: config.READY_MAX_CONSUMER_LAG,
  }),
});

/**
 * Feeds the visit events of every producing service into the attribution context, one validated
 * chunk of one topic's partition at a time (the platform's Kafka transport: contract validation,
 * dead-letter topic, commit after the write).
 */
@Controller()
export class VisitEventsMessageController {
  constructor(private readonly recordVisitEvents: RecordVisitEventsUseCase) {}

  @EventPattern(VISIT_EVENT_DEFINITIONS.map((definition) => definition.topic))
  recordVisitEventBatch(@Payload() events: ConsumedEvent[]): Promise<void> {
    return this.recordVisitEvents.execute(events);
  }
}
