import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { IdempotentOutcome } from '@crc/platform';
import { escalateCase, withNote } from '../../domain/help-case';
import { closingNote } from '../closing-note';
import { HelpCaseChanges } from '../help-case-changes';
import { EscalateHelpCaseCommand } from './escalate-help-case.command';

/** IN_PROGRESS -> ESCALATED to the member's plan; closes the case here (`help-resolved`, outcome `ESCALATED_TO_PLAN`). */
@Injectable()
export class EscalateHelpCaseUseCase {
  constructor(private readonly changes: HelpCaseChanges) {}

  execute(command: EscalateHelpCaseCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    return this.changes.apply(command, { operation: 'escalate-help-case', plan: command.plan, note: command.note }, (helpCase, at, operationId) =>
      withNote(escalateCase(helpCase, command.plan, at), closingNote(command, at, operationId)),
    );
  }
}
