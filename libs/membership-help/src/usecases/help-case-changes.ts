import { Injectable } from '@nestjs/common';
import { createEvent, HelpCaseResponse, HelpResolvedV1Event, HelpStatusChangedV1Event } from '@crc/contracts';
import { IdempotencyStore, IdempotentOutcome, OutboxEntry, outboxEntry, requestFingerprint } from '@crc/platform';
import { CaseChange, HelpCase } from '../domain/help-case';
import { HelpCaseNotFoundError } from '../domain/help-case.errors';
import { HelpCaseRepositoryPort } from '../domain/help-case.repository.port';
import { helpCaseResponse } from './help-case-response';
import { HelpCaseActionCommand } from './help-case-action.command';

export const MEMBERSHIP_EVENT_SOURCE = '/crc/membership';

/**
 * Applies one action to a stored case the same way for every action: idempotently (the key's
 * operation id is remembered on the case, so a retry after a crash is not applied twice), by the
 * pure domain rules, with the change and its events in one document write (the store hands them to the relay).
 */
@Injectable()
export class HelpCaseChanges {
  constructor(
    private readonly cases: HelpCaseRepositoryPort,
    private readonly idempotency: IdempotencyStore,
  ) {}

  apply(
    command: HelpCaseActionCommand,
    request: Record<string, unknown>,
    change: (helpCase: HelpCase, at: Date, operationId: string) => CaseChange,
    successStatus = 200,
  ): Promise<IdempotentOutcome<HelpCaseResponse>> {
    const fingerprint = requestFingerprint({ ...request, centerId: command.centerId, caseId: command.caseId });
    return this.idempotency.execute({ scope: command.credentialId, key: command.idempotencyKey, fingerprint }, async (operationId) => {
      const outcome = await this.cases.modify(command.centerId, command.caseId, (stored) => {
        if (!stored) throw new HelpCaseNotFoundError();
        if (stored.appliedOperations.includes(operationId)) return { result: { helpCase: stored.helpCase, alreadyDone: true } };
        const done = change(stored.helpCase, new Date(), operationId);
        const events = eventsOf(done);
        return {
          result: { helpCase: done.helpCase, alreadyDone: false },
          write: { helpCase: done.helpCase, events, operationId, addedNote: done.addedNote },
        };
      });
      return { status: successStatus, body: helpCaseResponse(outcome.helpCase, 'count'), alreadyDone: outcome.alreadyDone };
    });
  }
}

/** The change's events in publishing order: the status change, then the closing fact. */
function eventsOf(change: CaseChange): OutboxEntry[] {
  const entries: OutboxEntry[] = [];
  if (change.statusChanged) {
    const time = new Date(change.statusChanged.recordedAt);
    entries.push(outboxEntry(HelpStatusChangedV1Event, createEvent(HelpStatusChangedV1Event, change.statusChanged, { source: MEMBERSHIP_EVENT_SOURCE, time })));
  }
  if (change.resolved) {
    const time = new Date(change.resolved.recordedAt);
    entries.push(outboxEntry(HelpResolvedV1Event, createEvent(HelpResolvedV1Event, change.resolved, { source: MEMBERSHIP_EVENT_SOURCE, time })));
  }
  return entries;
}
