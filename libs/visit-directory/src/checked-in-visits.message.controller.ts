import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { VisitCheckedInV1Event } from '@crc/contracts';
import { ConsumedEvent, consumerGroup } from '@crc/platform';
import { RecordCheckedInVisitsUseCase } from './usecases/record-checked-in-visits/record-checked-in-visits.usecase';
import { VISIT_DIRECTORY_OPTIONS, VisitDirectoryOptions } from './visit-directory.options';

/** The consumer group a producing service's visit directory reads check-ins with (its KafkaUser may read `crc.<service>.*` groups). */
export const knownVisitsConsumerGroup = (service: string) => `crc.${service}.known-visits.v1`;

/**
 * Declares the directory's group. Its catch-up gates readiness: before that, a help case or
 * Wi-Fi session naming a visit just checked in would be refused as not of this center.
 */
export const CHECKED_IN_VISITS_CONSUMER_GROUP = consumerGroup({
  inject: [VISIT_DIRECTORY_OPTIONS],
  useFactory: (options: VisitDirectoryOptions) => ({
    groupId: knownVisitsConsumerGroup(options.service),
    service: options.service,
    definitions: [VisitCheckedInV1Event],
    readyMaxConsumerLag: options.readyMaxConsumerLag,
  }),
});

/** Feeds check-ins into the visit directory, so a service names visits of its own center only. */
@Controller()
export class CheckedInVisitsMessageController {
  constructor(private readonly recordCheckedInVisits: RecordCheckedInVisitsUseCase) {}

  @EventPattern(VisitCheckedInV1Event.topic)
  recordCheckedInVisitBatch(@Payload() events: ConsumedEvent[]): Promise<void> {
    return this.recordCheckedInVisits.execute(events);
  }
}
