import { Inject, Injectable } from '@nestjs/common';
import { createEvent, VisitCheckedOutV1Event, VisitResponse } from '@crc/contracts';
import { IdempotencyStore, IdempotentOutcome, outboxEntry, requestFingerprint } from '@crc/platform';
import { TIME_POLICY } from '../../domain/time-policy.token';
import { assertPlausibleTime, checkOut, TimePolicy } from '../../domain/visit';
import { VisitAlreadyCheckedOutError, VisitNotFoundError } from '../../domain/visit.errors';
import { VisitRepositoryPort } from '../../domain/visit.repository.port';
import { CHECKIN_EVENT_SOURCE } from '../check-in-visitor/check-in-visitor.usecase';
import { visitResponse } from '../visit-response';
import { CheckOutVisitorCommand } from './check-out-visitor.command';

/**
 * Closes an open visit and queues `visit-checked-out` behind its check-in event (same document,
 * same outbox, same partition key: consumers see them in order). A second check-out is a
 * conflict, not a second event; a retry of the same check-out (same key) is not a second one.
 */
@Injectable()
export class CheckOutVisitorUseCase {
  constructor(
    private readonly visits: VisitRepositoryPort,
    private readonly idempotency: IdempotencyStore,
    @Inject(TIME_POLICY) private readonly timePolicy: TimePolicy,
  ) {}

  async execute(command: CheckOutVisitorCommand): Promise<IdempotentOutcome<VisitResponse>> {
    const fingerprint = requestFingerprint({
      operation: 'check-out',
      centerId: command.centerId,
      visitId: command.visitId,
      occurredAt: command.occurredAt?.toISOString(),
    });
    return this.idempotency.execute({ scope: command.kioskCredentialId, key: command.idempotencyKey, fingerprint }, async (operationId) => {
      const stored = await this.visits.findAtCenter(command.centerId, command.visitId);
      if (!stored) throw new VisitNotFoundError();
      if (stored.checkOutOperationId === operationId) return { status: 200, body: visitResponse(stored.visit), alreadyDone: true };

      const recordedAt = new Date();
      const occurredAt = command.occurredAt ?? recordedAt;
      assertPlausibleTime(occurredAt, recordedAt, this.timePolicy);
      const { visit, event } = checkOut(stored.visit, occurredAt, recordedAt);
      const envelope = createEvent(VisitCheckedOutV1Event, event, { source: CHECKIN_EVENT_SOURCE, time: recordedAt });
      if ((await this.visits.close(visit, [outboxEntry(VisitCheckedOutV1Event, envelope)], operationId)) === 'not-open') {
        const now = await this.visits.findAtCenter(command.centerId, command.visitId);
        if (now?.checkOutOperationId === operationId) return { status: 200, body: visitResponse(now.visit), alreadyDone: true };
        throw new VisitAlreadyCheckedOutError();
      }
      return { status: 200, body: visitResponse(visit) };
    });
  }
}
