import { Injectable } from '@nestjs/common';
import { HelpCaseResponse } from '@crc/contracts';
import { IdempotentOutcome } from '@crc/platform';
import { addNote } from '../../domain/help-case';
import { HelpCaseChanges } from '../help-case-changes';
import { AddHelpCaseNoteCommand } from './add-help-case-note.command';

/** A note for the staff working the case, in any status. Publishes nothing: notes may hold PHI. */
@Injectable()
export class AddHelpCaseNoteUseCase {
  constructor(private readonly changes: HelpCaseChanges) {}

  execute(command: AddHelpCaseNoteCommand): Promise<IdempotentOutcome<HelpCaseResponse>> {
    // The fingerprint is a digest: the note's text is not kept with the key.
    return this.changes.apply(
      command,
      { operation: 'add-help-case-note', note: command.note },
      (helpCase, at, operationId) => addNote(helpCase, { noteId: operationId, note: command.note, addedAt: at, addedBy: command.credentialId }),
      201,
    );
  }
}
