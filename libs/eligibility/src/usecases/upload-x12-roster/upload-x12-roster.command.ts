import { PartnerPlan } from '@crc/contracts';

export interface UploadX12RosterCommand {
  plan: PartnerPlan;
  /** The request body as it streams in. */
  body: AsyncIterable<Buffer | string>;
  /** The `mode` the request named, if any: it must agree with the file's BGN08. */
  requestedMode?: 'REPLACE' | 'MERGE';
  /** Who uploads: the credential of the token (recorded for audit). */
  uploadedBy: string;
}

/** How 834 uploads appear in the audit of roster uploads. */
export const X12_834_FORMAT = 'x12-834';
