import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { addOutbox, OutboxEntry } from '@crc/platform';
import { SELF_REPORTED_PLANS, SelfReportedPlan, VISIT_PURPOSES, VisitPurpose } from '@crc/contracts';

@Schema({ _id: false })
export class VisitorDocument {
  /** PHI: kept only as long as the visit is open or within retention. */
  @Prop({ type: String }) memberId?: string;
  @Prop({ type: String }) memberIdType?: string;
  @Prop({ type: String, required: true, enum: SELF_REPORTED_PLANS }) selfReportedPlan!: SelfReportedPlan;
  @Prop() preferredLanguage?: string;
}

@Schema({ collection: 'visits', versionKey: false })
export class VisitDocument {
  /** The visit id (UUID), so an insert and its events are keyed alike. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  @Prop({ type: String, required: true, enum: ['OPEN', 'CHECKED_OUT'] }) status!: 'OPEN' | 'CHECKED_OUT';
  @Prop({ required: true }) checkedInAt!: Date;
  @Prop() checkedOutAt?: Date;
  @Prop({ required: true }) recordedAt!: Date;
  @Prop({ type: VisitorDocument, required: true }) visitor!: VisitorDocument;
  @Prop({ type: [String], enum: VISIT_PURPOSES, required: true }) purposes!: VisitPurpose[];
  @Prop() kioskCredentialId?: string;
  /** Fingerprint of the check-in request, so a reused idempotency key is caught even after it expired. */
  @Prop() requestFingerprint?: string;
  /** The operation that checked the visit out: a retry of that same operation is not a second check-out. */
  @Prop() checkOutOperationId?: string;

  outbox!: OutboxEntry[];
  outboxPending!: boolean;
}

export const VisitSchema = SchemaFactory.createForClass(VisitDocument);
addOutbox(VisitSchema);
// Serves the front desk's "open visits today" list.
VisitSchema.index({ centerId: 1, serviceDate: 1, status: 1 });
