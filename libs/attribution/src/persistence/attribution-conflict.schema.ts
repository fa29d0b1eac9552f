import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AttributedPlan, PartnerPlan } from '@crc/contracts';

import { ConflictStatus } from '../domain/conflict-status';

@Schema({ _id: false })
export class ConflictResolutionState {
  @Prop({ type: String, required: true }) plan!: PartnerPlan;
  @Prop({ required: true }) reason!: string;
  /** The operations credential that chose. */
  @Prop({ required: true }) resolvedBy!: string;
  @Prop({ required: true }) resolvedAt!: Date;
}

/**
 * The operations review queue of rule 2: one document per visit whose member both plans' rosters
 * cover without agreeing. No member identifiers: operations see visits, not people. Not a
 * projection: operations' resolutions live here, so a rebuild keeps it.
 */
@Schema({ collection: 'attribution_conflicts', versionKey: false })
export class AttributionConflictDocument {
  /** The visit id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** WAITING for operations; RESOLVED by operations or by configured precedence; CLEARED when one side's coverage went. */
  @Prop({ type: String, required: true }) status!: ConflictStatus;
  /** The product line each plan's roster names. */
  @Prop({ type: Object, required: true }) productLines!: Record<PartnerPlan, string>;
  /** The plan the visit has now (while waiting: the plan it keeps, or COMMUNITY). */
  @Prop({ type: String, required: true }) currentPlan!: AttributedPlan;
  @Prop({ type: String }) resolvedByPrecedence?: PartnerPlan;
  /** When the conflict (last) began. */
  @Prop({ required: true }) since!: Date;
  @Prop({ type: ConflictResolutionState }) resolution?: ConflictResolutionState;
  @Prop({ required: true }) updatedAt!: Date;
}

export const AttributionConflictSchema = SchemaFactory.createForClass(AttributionConflictDocument);
// Serves the review queue: conflicts of one status, longest waiting first.
AttributionConflictSchema.index({ status: 1, since: 1 });
