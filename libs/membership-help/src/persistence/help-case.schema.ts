import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  HELP_CASE_OUTCOMES,
  HELP_CASE_STATUSES,
  HELP_CASE_TYPES,
  HELP_REQUEST_CHANNELS,
  HelpCaseOutcome,
  HelpCaseStatus,
  HelpCaseType,
  HelpRequestChannel,
  PARTNER_PLANS,
  PartnerPlan,
} from '@crc/contracts';
import { addOutbox, OutboxEntry } from '@crc/platform';

@Schema({ _id: false })
export class HelpCaseNoteDocument {
  @Prop({ required: true }) noteId!: string;
  /** PHI: shown to staff only, never published or logged. */
  @Prop({ required: true }) note!: string;
  @Prop({ required: true }) addedAt!: Date;
  @Prop({ required: true }) addedBy!: string;
}

@Schema({ collection: 'help_cases', versionKey: false })
export class HelpCaseDocument {
  /** The case id (UUID), derived from the Idempotency-Key when there is one. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ type: String }) visitId?: string;
  @Prop({ type: String, required: true, enum: HELP_CASE_TYPES }) caseType!: HelpCaseType;
  @Prop({ type: String, required: true, enum: HELP_CASE_STATUSES }) status!: HelpCaseStatus;
  @Prop({ required: true }) serviceDate!: string;
  @Prop({ type: String, required: true, enum: HELP_REQUEST_CHANNELS }) requestedVia!: HelpRequestChannel;
  @Prop({ required: true }) openedAt!: Date;
  @Prop({ required: true }) openedBy!: string;
  @Prop({ type: String }) assignee?: string;
  @Prop() startedAt?: Date;
  @Prop() closedAt?: Date;
  @Prop({ type: String, enum: HELP_CASE_OUTCOMES }) outcome?: HelpCaseOutcome;
  @Prop({ type: String, enum: PARTNER_PLANS }) escalatedTo?: PartnerPlan;
  @Prop({ type: [HelpCaseNoteDocument], default: [] }) notes!: HelpCaseNoteDocument[];
  /** Fingerprint of the opening request, so a reused idempotency key is caught even after it expired. */
  @Prop() requestFingerprint?: string;
  /** Operations already applied: a retry of one of them (after a crash) does not apply it twice. */
  @Prop({ type: [String], default: [] }) appliedOperations!: string[];
  /** Bumped by every change; a write names the version it read (optimistic concurrency across instances on MongoDB). */
  @Prop({ required: true, default: 0 }) version!: number;

  outbox!: OutboxEntry[];
  outboxPending!: boolean;
}

export const HelpCaseSchema = SchemaFactory.createForClass(HelpCaseDocument);
addOutbox(HelpCaseSchema);
// Serves the center's queue: open and in-progress cases, oldest first.
HelpCaseSchema.index({ centerId: 1, status: 1, openedAt: 1 });
