import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createEvent, VisitCheckedInV1Event } from '@crc/contracts';
import { CenterDirectory, OutboxRelay, outboxEntry, outboxRelayToken } from '@crc/platform';
import { checkIn, Visit } from '../../domain/visit';
import { VisitRepository } from '../../persistence/visit.repository';
import { VisitDocument } from '../../persistence/visit.schema';
import { CheckInVisitorCommand } from './check-in-visitor.command';

export const CHECKIN_EVENT_SOURCE = '/crc/checkin';

@Injectable()
export class CheckInVisitorUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly visits: VisitRepository,
    @Inject(outboxRelayToken(VisitDocument.name)) private readonly relay: OutboxRelay,
  ) {}

  async execute(command: CheckInVisitorCommand): Promise<Visit> {
    this.centers.get(command.centerId);
    const recordedAt = new Date();
    const { visit, event } = checkIn({
      visitId: randomUUID(),
      centerId: command.centerId,
      occurredAt: command.occurredAt ?? recordedAt,
      recordedAt,
      visitor: command.visitor,
      purposes: command.purposes,
    });
    const envelope = createEvent(VisitCheckedInV1Event, event, { source: CHECKIN_EVENT_SOURCE, time: recordedAt });
    await this.visits.insert(visit, [outboxEntry(VisitCheckedInV1Event, envelope)], command.kioskCredentialId);
    this.relay.notify();
    return visit;
  }
}
