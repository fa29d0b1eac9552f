import { HelpCaseType, HelpRequestChannel } from '@crc/contracts';

export interface OpenHelpCaseCommand {
  centerId: string;
  /** The kiosk or staff credential opening the case: scopes its idempotency keys. */
  credentialId: string;
  requestedVia: HelpRequestChannel;
  caseType: HelpCaseType;
  /** Absent for a walk-in without a visit. */
  visitId?: string;
  idempotencyKey?: string;
}
