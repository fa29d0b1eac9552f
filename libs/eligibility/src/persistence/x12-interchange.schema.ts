import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PARTNER_PLANS, PartnerPlan } from '@crc/contracts';

/**
 * An interchange a plan uploaded, by its sender and control number (ISA05/ISA06, ISA13): a file
 * sent again is recognised as a resend and not applied twice.
 */
@Schema({ collection: 'eligibility_x12_interchanges', versionKey: false })
export class X12InterchangeDocument {
  /** `<plan>|<ISA05>:<ISA06>|<ISA13>`. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: PARTNER_PLANS }) plan!: PartnerPlan;
  /** The upload applying (or that applied) it. */
  @Prop({ required: true }) uploadId!: string;
  /** SHA-256 of the file's bytes: the same control number on another file is a mistake, not a resend. */
  @Prop({ required: true }) contentHash!: string;
  @Prop({ type: String, required: true }) status!: 'APPLYING' | 'APPLIED';
  /** A heartbeat while applying: an upload silent for long died, and a resend may take over. */
  @Prop({ required: true }) updatedAt!: Date;
}

export const X12InterchangeSchema = SchemaFactory.createForClass(X12InterchangeDocument);
