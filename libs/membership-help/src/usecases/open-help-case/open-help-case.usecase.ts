import { Injectable } from '@nestjs/common';
import { createEvent, HelpCaseResponse, HelpRequestedV1Event } from '@crc/contracts';
import { CenterDirectory, IdempotencyKeyReusedError, IdempotencyStore, IdempotentOutcome, outboxEntry, requestFingerprint } from '@crc/platform';
import { EnsureVisitOfCenterUseCase } from '@crc/visit-directory';
import { openCase } from '../../domain/help-case';
import { HelpCaseRepositoryPort } from '../../domain/help-case.repository.port';
import { MEMBERSHIP_EVENT_SOURCE } from '../help-case-changes';
import { helpCaseResponse } from '../help-case-response';
import { OpenHelpCaseCommand } from './open-help-case.command';

/**
 * Opens a case in the center's queue and records its `help-requested` event in the same write.
 * With an idempotency key the case id is derived from the key: one case however often it is sent.
 * A visit known to be of another center is refused (VISIT.NOT_AT_THIS_CENTER); one not known yet is
 * taken, as its check-in may still be on its way from an offline kiosk.
 */
@Injectable()
export class OpenHelpCaseUseCase {
  constructor(
    private readonly centers: CenterDirectory,
    private readonly cases: HelpCaseRepositoryPort,
    private readonly idempotency: IdempotencyStore,
    private readonly ensureVisitOfCenter: EnsureVisitOfCenterUseCase,
  ) {}

  async execute(command: OpenHelpCaseCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    this.centers.get(command.centerId);
    const fingerprint = requestFingerprint({
      operation: 'open-help-case',
      centerId: command.centerId,
      caseType: command.caseType,
      visitId: command.visitId,
    });
    return this.idempotency.execute({ scope: command.credentialId, key: command.idempotencyKey, fingerprint }, async (caseId) => {
      // Inside the key's operation: a replay of a case already opened gets its answer, whatever is known since.
      await this.ensureVisitOfCenter.execute(command.centerId, command.visitId);
      const at = new Date();
      const { helpCase, event } = openCase({
        caseId,
        centerId: command.centerId,
        visitId: command.visitId,
        caseType: command.caseType,
        requestedVia: command.requestedVia,
        at,
      });
      const envelope = createEvent(HelpRequestedV1Event, event, { source: MEMBERSHIP_EVENT_SOURCE, time: at });
      const written = await this.cases.insert(helpCase, [outboxEntry(HelpRequestedV1Event, envelope)], {
        openedBy: command.credentialId,
        requestFingerprint: fingerprint,
      });
      if (written === 'exists') {
        // An earlier attempt with this key got as far as storing the case (and its event).
        const stored = await this.cases.findAtCenter(command.centerId, caseId);
        if (!stored || stored.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        return { status: 201, body: helpCaseResponse(stored.helpCase, 'count'), alreadyDone: true };
      }
      return { status: 201, body: helpCaseResponse(helpCase, 'count') };
    });
  }
}
