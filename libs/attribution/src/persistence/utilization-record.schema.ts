import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AttributedPlan, AttributionBasis, AttributionFlag, PartnerPlan, VisitPurpose } from '@crc/contracts';

/**
 * One entry of a plan's utilization feed. Entries are only ever appended: a change to a visit
 * is a new revision that names the record it supersedes.
 */
@Schema({ collection: 'utilization_records', versionKey: false })
export class UtilizationRecordDocument {
  /** `<feed plan>:<visitId>:<revision>`: writing the same revision twice is a no-op. */
  @Prop({ type: String, required: true }) _id!: string;
  /** The feed this entry belongs to. */
  @Prop({ type: String, required: true }) feedPlan!: PartnerPlan;
  /** Position in the feed, strictly increasing per plan. */
  @Prop({ required: true }) seq!: number;
  /** `<feedPlan>:<block>`, the block of positions the entry is in (see FEED_BLOCK): pages are read by it. Absent on entries stored before blocks, until tagged. */
  @Prop() feedBlock?: string;
  @Prop({ required: true }) recordId!: string;
  @Prop({ required: true }) visitId!: string;
  @Prop({ required: true }) revision!: number;
  @Prop({ type: String }) supersedes?: string;
  @Prop({ type: String, required: true }) status!: 'ACTIVE' | 'VOIDED';
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** The visit's attribution at this revision (for a VOIDED entry: where it went instead). */
  @Prop({ type: String, required: true }) plan!: AttributedPlan;
  @Prop({ type: String, required: true }) basis!: AttributionBasis;
  @Prop({ type: String }) productLine?: string;
  @Prop({ type: String }) planPartner?: string;
  @Prop({ type: [String], default: [] }) flags!: AttributionFlag[];
  @Prop({ required: true }) ruleVersion!: number;
  /** PHI, present on ACTIVE entries only. */
  @Prop({ type: String }) memberId?: string;
  @Prop({ type: [String], default: [] }) purposes!: VisitPurpose[];
  @Prop({ required: true }) checkedInAt!: Date;
  @Prop() checkedOutAt?: Date;
  @Prop({ type: [{ _id: false, caseType: String, outcome: String, minutes: Number }], default: undefined })
  membershipHelp?: Array<{ caseType: string; outcome?: string; minutes?: number }>;
  @Prop() telehealthWifiMinutes?: number;
  @Prop({ required: true }) publishedAt!: Date;
}

export const UtilizationRecordSchema = SchemaFactory.createForClass(UtilizationRecordDocument);
// Keeps positions unique per plan (a collision is appended again elsewhere, see UtilizationFeedRepository.append).
UtilizationRecordSchema.index({ feedPlan: 1, seq: 1 }, { unique: true });
// Serves `since=<date>`: where in a plan's feed a day's entries begin.
UtilizationRecordSchema.index({ feedPlan: 1, publishedAt: 1 });
// Serves the feed's pages: one block of positions at a time.
UtilizationRecordSchema.index({ feedBlock: 1 });

@Schema({ collection: 'sequences', versionKey: false })
export class SequenceDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) value!: number;
}

export const SequenceSchema = SchemaFactory.createForClass(SequenceDocument);
