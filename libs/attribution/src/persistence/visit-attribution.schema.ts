import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AttributedPlan } from '@crc/contracts';
import { addOutbox, OutboxEntry } from '@crc/platform';
import { AttributionState } from './visit-record.schema';

/** The last revision this visit published to the feeds, so the next one can supersede it. */
@Schema({ _id: false })
export class PublishedState {
  @Prop({ type: String, required: true }) plan!: AttributedPlan;
  @Prop({ required: true }) revision!: number;
  @Prop({ required: true }) contentHash!: string;
}

/**
 * A visit's attribution ledger: its current attribution, the revision the feeds last saw, and the
 * feed entries of a new revision waiting for the feed relay, all in one document so a revision and
 * its entries are one write. Not a projection: a rebuild keeps it, so replaying the topics never
 * renumbers what plans were already told; it only adds a correction where the result differs.
 */
@Schema({ collection: 'visit_attributions', versionKey: false })
export class VisitAttributionDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: AttributionState, required: true }) attribution!: AttributionState;
  @Prop({ type: PublishedState, required: true }) published!: PublishedState;
  @Prop({ required: true }) updatedAt!: Date;

  outbox!: OutboxEntry[];
  outboxPending!: boolean;
}

export const VisitAttributionSchema = SchemaFactory.createForClass(VisitAttributionDocument);
addOutbox(VisitAttributionSchema);
