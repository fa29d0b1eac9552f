import { PartnerPlan } from '@crc/contracts';
import { HelpCaseActionCommand } from '../help-case-action.command';

export interface EscalateHelpCaseCommand extends HelpCaseActionCommand {
  /** The member's plan, which takes the case over. */
  plan: PartnerPlan;
  note?: string;
}
