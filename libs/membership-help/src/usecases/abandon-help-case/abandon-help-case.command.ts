import { HelpCaseActionCommand } from '../help-case-action.command';

export interface AbandonHelpCaseCommand extends HelpCaseActionCommand {
  note?: string;
}
