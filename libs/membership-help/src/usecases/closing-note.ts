import { HelpCaseNote } from '../domain/help-case';

/** The note a closing action may carry, signed by the acting credential; its id is the operation's. */
export function closingNote(command: { note?: string; credentialId: string }, at: Date, operationId: string): HelpCaseNote | undefined {
  return command.note === undefined ? undefined : { noteId: operationId, note: command.note, addedAt: at, addedBy: command.credentialId };
}
