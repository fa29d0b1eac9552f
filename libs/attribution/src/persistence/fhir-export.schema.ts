import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PartnerPlan } from '@crc/contracts';

/** A FHIR Bulk Data export: a fixed slice of a plan's feed, so its files read the same every time. */
@Schema({ collection: 'fhir_exports', versionKey: false })
export class FhirExportDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) plan!: PartnerPlan;
  @Prop({ required: true }) requestedBy!: string;
  @Prop({ type: [String], required: true }) types!: string[];
  /** Feed positions (afterSeq, throughSeq] as they were at the kick-off. */
  @Prop({ required: true }) afterSeq!: number;
  @Prop({ required: true }) throughSeq!: number;
  @Prop({ required: true }) request!: string;
  @Prop({ required: true }) transactionTime!: Date;
  /** Set when the plan cancels the export (DELETE on its status URL): from then on it is not found. Kept for audit. */
  @Prop({ type: Date }) cancelledAt?: Date;
  @Prop({ type: String }) cancelledBy?: string;
}

export const FhirExportSchema = SchemaFactory.createForClass(FhirExportDocument);
