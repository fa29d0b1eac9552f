import { PartnerPlan } from '@crc/contracts';
import { LINE_TOO_LONG } from '@crc/platform';
import { RosterFormat } from '../../domain/roster-lines';

export type RosterUploadMode = 'REPLACE' | 'MERGE';

export interface UploadRosterCommand {
  plan: PartnerPlan;
  format: RosterFormat;
  /** REPLACE: the upload is the whole roster; MERGE: it adds or corrects spans. */
  mode: RosterUploadMode;
  lines: AsyncIterable<string | typeof LINE_TOO_LONG>;
  /** Who uploads: the credential of the token (recorded for audit). */
  uploadedBy: string;
}
