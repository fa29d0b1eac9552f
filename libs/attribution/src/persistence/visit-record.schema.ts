import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AttributedPlan, AttributionBasis, AttributionFlag, PartnerPlan, SelfReportedPlan, VisitPurpose } from '@crc/contracts';
import type { DualCoverageConflict } from '../domain/attribution-rules';

@Schema({ _id: false })
export class AttributionState {
  @Prop({ type: String, required: true }) plan!: AttributedPlan;
  @Prop({ type: String, required: true }) basis!: AttributionBasis;
  @Prop({ type: Number, required: true }) rule!: 1 | 2 | 3 | 4;
  @Prop({ required: true }) ruleVersion!: number;
  @Prop({ type: String }) productLine?: string;
  @Prop({ type: String }) rosterPlan?: PartnerPlan;
  @Prop({ type: String }) planPartner?: string;
  @Prop({ type: [String], default: [] }) flags!: AttributionFlag[];
  /** Rule 2: both rosters cover the visitor and disagree (the product line on each side; who resolved it). */
  @Prop({ type: Object }) conflict?: DualCoverageConflict;
  @Prop({ required: true }) attributedAt!: Date;
}

/**
 * Reporting's view of a visit: everything known about it, joined from the events of every
 * service, whatever order they arrive in. `appliedEventIds` makes redelivery a no-op.
 * A projection: it can be dropped and rebuilt from the topics (unlike the attribution ledger).
 */
@Schema({ collection: 'visit_records', versionKey: false })
export class VisitRecordDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** False until the check-in event itself has arrived (a check-out may come first). */
  @Prop({ default: false }) checkInSeen!: boolean;
  @Prop() checkedInAt?: Date;
  @Prop() checkedOutAt?: Date;
  @Prop({ type: [String], default: [] }) purposes!: VisitPurpose[];
  /** PHI; erased after the retention period, the visit facts remain. */
  @Prop({ type: String }) memberId?: string;
  @Prop({ type: String }) selfReportedPlan?: SelfReportedPlan;
  /** Set when retention erased the member id (see provideIdentityRetention). */
  @Prop() identityErased?: boolean;
  @Prop({ type: [String], default: [] }) appliedEventIds!: string[];
  /** The current attribution, copied from the visit's attribution ledger for the dashboards. */
  @Prop({ type: AttributionState }) attribution?: AttributionState;
  @Prop({ required: true }) updatedAt!: Date;
}

export const VisitRecordSchema = SchemaFactory.createForClass(VisitRecordDocument);
// Serves re-attribution when a roster changes: the visits of the members it names.
VisitRecordSchema.index({ memberId: 1, serviceDate: 1 });
// Serves the dashboards: visits per center and date range.
VisitRecordSchema.index({ serviceDate: 1, centerId: 1 });
