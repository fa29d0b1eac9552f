import { HelpCaseActionCommand } from '../help-case-action.command';

export interface AssignHelpCaseCommand extends HelpCaseActionCommand {
  /** Who works the case; the acting credential when absent. */
  assignee?: string;
}
