import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { IdempotentOutcome } from '@crc/platform';
import { abandonCase, withNote } from '../../domain/help-case';
import { closingNote } from '../closing-note';
import { HelpCaseChanges } from '../help-case-changes';
import { AbandonHelpCaseCommand } from './abandon-help-case.command';

/** The visitor left: OPEN or IN_PROGRESS -> ABANDONED (`help-resolved`, outcome `ABANDONED`, with any minutes spent). */
@Injectable()
export class AbandonHelpCaseUseCase {
  constructor(private readonly changes: HelpCaseChanges) {}

  execute(command: AbandonHelpCaseCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    return this.changes.apply(command, { operation: 'abandon-help-case', note: command.note }, (helpCase, at, operationId) =>
      withNote(abandonCase(helpCase, at), closingNote(command, at, operationId)),
    );
  }
}
