import { Inject, Injectable } from '@nestjs/common';
import { createEvent, VisitCheckedInV1Event, VisitResponse } from '@crc/contracts';
import { CenterDirectory, IdempotencyKeyReusedError, IdempotencyStore, IdempotentOutcome, outboxEntry, requestFingerprint } from '@crc/platform';
import { TIME_POLICY } from '../../domain/time-policy.token';
import { assertPlausibleTime, checkIn, TimePolicy } from '../../domain/visit';
import { VisitRepositoryPort } from '../../domain/visit.repository.port';
import { checkInResponse } from '../visit-response';
import { CheckInVisitorCommand } from './check-in-visitor.command';

export const CHECKIN_EVENT_SOURCE = '/crc/checkin';

/**
 * Records a visit and its `visit-checked-in` event in one write. With an idempotency key the
 * visit id is derived from the key, so however often a kiosk retries, there is one visit and
 * one event.
 */
@Injectable()
export class CheckInVisitorUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly visits: VisitRepositoryPort,
    private readonly idempotency: IdempotencyStore,
    @Inject(TIME_POLICY) private readonly timePolicy: TimePolicy,
  ) {}

  async execute(command: CheckInVisitorCommand): Promise<IdempotentOutcome<VisitResponse>> {
    this.centers.get(command.centerId);
    const fingerprint = requestFingerprint({
      operation: 'check-in',
      centerId: command.centerId,
      visitor: command.visitor,
      purposes: command.purposes,
      occurredAt: command.occurredAt?.toISOString(),
    });
    // The visit is unique by the id derived from the key and carries the fingerprint (see below).
    const request = { scope: command.kioskCredentialId, key: command.idempotencyKey, fingerprint, operationGuardsKey: true };
    return this.idempotency.execute(request, async (visitId) => {
      const recordedAt = new Date();
      const occurredAt = command.occurredAt ?? recordedAt;
      assertPlausibleTime(occurredAt, recordedAt, this.timePolicy);
      const { visit, event } = checkIn({
        visitId,
        centerId: command.centerId,
        occurredAt,
        recordedAt,
        visitor: command.visitor,
        purposes: command.purposes,
      });
      const envelope = createEvent(VisitCheckedInV1Event, event, { source: CHECKIN_EVENT_SOURCE, time: recordedAt });
      const events = [outboxEntry(VisitCheckedInV1Event, envelope)];
      const written = await this.visits.insert(visit, events, {
        kioskCredentialId: command.kioskCredentialId,
        requestFingerprint: fingerprint,
      });
      if (written === 'exists') {
        // An earlier attempt with this key got as far as storing the visit (and its event; the
        // store publishes whatever of it is not out yet).
        const stored = await this.visits.findAtCenter(command.centerId, visitId);
        if (!stored || stored.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        return { status: 201, body: checkInResponse(stored.visit), alreadyDone: true };
      }
      return { status: 201, body: checkInResponse(visit) };
    });
  }
}
