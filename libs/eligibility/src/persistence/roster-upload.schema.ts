import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PARTNER_PLANS, PartnerPlan } from '@crc/contracts';

/**
 * RECEIVING: lines are being stored. REFUSED: nothing stored (`outcome` says why). REATTRIBUTING:
 * stored; the visits of the members it touched are being attributed again (after the answer).
 * DONE: that finished, and the touched identifiers are gone from this record.
 */
export const ROSTER_UPLOAD_STATUSES = ['RECEIVING', 'REFUSED', 'REATTRIBUTING', 'DONE'] as const;
export type RosterUploadStatus = (typeof ROSTER_UPLOAD_STATUSES)[number];

/**
 * One roster upload: the audit record (who, when, which plan and mode, how many lines) and, until
 * its re-attribution is done, the pending job, in one document so that neither exists without the
 * other. Operations read the audit part; the touched identifiers (PHI) never leave the service.
 */
@Schema({ collection: 'roster_uploads', versionKey: false })
export class RosterUploadDocument {
  /** The upload id, as answered to the plan. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: PARTNER_PLANS }) plan!: PartnerPlan;
  /** INVALID: the request named neither. */
  @Prop({ type: String, required: true }) mode!: 'REPLACE' | 'MERGE' | 'INVALID';
  @Prop({ type: String, required: true }) format!: string;
  /** The credential the upload came with (the token's principal), never the token. */
  @Prop({ required: true }) uploadedBy!: string;
  @Prop({ required: true }) receivedAt!: Date;
  @Prop() finishedAt?: Date;
  @Prop({ type: String, required: true }) status!: RosterUploadStatus;
  /** `ACCEPTED`, or the error code the plan was answered (`ROSTER.EMPTY`, `ROSTER.NO_VALID_ROWS`), or `INTERRUPTED`. */
  @Prop({ type: String }) outcome?: string;
  @Prop({ default: 0 }) accepted!: number;
  @Prop({ default: 0 }) rejected!: number;
  @Prop({ default: 0 }) removed!: number;
  /** PHI: member ids and CINs whose coverage changed, until re-attributed; absent with `touchedAll`. */
  @Prop({ type: [String], default: undefined }) touched?: string[];
  /** Too many to list: every visitor in the look-back window is attributed again. */
  @Prop() touchedAll?: boolean;
  @Prop() reattributedAt?: Date;
  /** A worker is re-attributing until then; afterwards anyone may take the job over. */
  @Prop() leaseUntil?: Date;
  /**
   * Which definition of the job a worker took: each write that sets the job (the upload's own
   * `stored`) adds one. A worker ends, or extends, only the version it claimed, so members stored
   * after a sweep took an interrupted-looking upload are attributed again by the next sweep.
   */
  @Prop() jobVersion?: number;
  /** Progress of receiving (a heartbeat): an upload silent for long was interrupted. */
  @Prop({ required: true }) updatedAt!: Date;
}

export const RosterUploadSchema = SchemaFactory.createForClass(RosterUploadDocument);
// Serves the audit list: newest first.
RosterUploadSchema.index({ receivedAt: -1 });
// Serves the re-attribution sweep: uploads still receiving or re-attributing.
RosterUploadSchema.index({ status: 1 });
