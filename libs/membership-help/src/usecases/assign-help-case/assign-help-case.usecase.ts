import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { IdempotentOutcome } from '@crc/platform';
import { assignCase } from '../../domain/help-case';
import { HelpCaseChanges } from '../help-case-changes';
import { AssignHelpCaseCommand } from './assign-help-case.command';

/** Staff take a case up (OPEN -> IN_PROGRESS, `help-status-changed`), or hand it on to a colleague. */
@Injectable()
export class AssignHelpCaseUseCase {
  constructor(private readonly changes: HelpCaseChanges) {}

  execute(command: AssignHelpCaseCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    const assignee = command.assignee ?? command.credentialId;
    return this.changes.apply(command, { operation: 'assign-help-case', assignee }, (helpCase, at) => assignCase(helpCase, assignee, at));
  }
}
