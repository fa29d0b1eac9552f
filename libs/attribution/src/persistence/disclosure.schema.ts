import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';

/**
 * One disclosure of plan data: who received what, through which channel, covering which range.
 * Append-only: the service only ever inserts here (nothing updates or deletes ledger entries).
 */
@Schema({ collection: 'disclosures', versionKey: false })
export class DisclosureDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ type: String, required: true }) plan!: PartnerPlan;
  /** The credential or topic the data went to. */
  @Prop({ required: true }) recipient!: string;
  @Prop({ required: true }) channel!: string;
  @Prop({ type: [String], required: true }) fields!: string[];
  /** Whether identifiable data (member ids) was part of it. */
  @Prop({ required: true }) containsPhi!: boolean;
  @Prop({ required: true }) records!: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) range!: Record<string, unknown>;
}

export const DisclosureSchema = SchemaFactory.createForClass(DisclosureDocument);
// Serves the compliance query: a plan's disclosures over a period.
DisclosureSchema.index({ plan: 1, at: 1 });
