import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { IdempotentOutcome } from '@crc/platform';
import { resolveCase, withNote } from '../../domain/help-case';
import { HelpCaseChanges } from '../help-case-changes';
import { closingNote } from '../closing-note';
import { ResolveHelpCaseCommand } from './resolve-help-case.command';

/** IN_PROGRESS -> RESOLVED with an outcome: `help-status-changed`, then `help-resolved` with the minutes spent. */
@Injectable()
export class ResolveHelpCaseUseCase {
  constructor(private readonly changes: HelpCaseChanges) {}

  execute(command: ResolveHelpCaseCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    return this.changes.apply(command, { operation: 'resolve-help-case', outcome: command.outcome, note: command.note }, (helpCase, at, operationId) =>
      withNote(resolveCase(helpCase, command.outcome, at), closingNote(command, at, operationId)),
    );
  }
}
