import { HelpResolutionOutcome } from '@crc/contracts';
import { HelpCaseActionCommand } from '../help-case-action.command';

export interface ResolveHelpCaseCommand extends HelpCaseActionCommand {
  outcome: HelpResolutionOutcome;
  /** Added to the case's notes in the same write. */
  note?: string;
}
