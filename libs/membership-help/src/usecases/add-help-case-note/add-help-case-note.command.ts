import { HelpCaseActionCommand } from '../help-case-action.command';

export interface AddHelpCaseNoteCommand extends HelpCaseActionCommand {
  /** PHI: stored with the case, never published or logged. */
  note: string;
}
