import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { RosterOperation } from '../x12/member-loop';

/**
 * Roster operations read from an 834 upload, held until the whole interchange has been read and
 * its envelope checked out: nothing is applied from a file whose envelope does not. One document
 * per batch, read back by `_id` in order (no sort over the upload). Removed once applied or refused.
 */
@Schema({ collection: 'eligibility_x12_staged', versionKey: false })
export class X12StagedBatchDocument {
  /** `<uploadId>:<batch>`, batches numbered from 0. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) uploadId!: string;
  /** PHI: member ids and CINs, until applied. */
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true }) operations!: RosterOperation[];
  @Prop({ required: true }) createdAt!: Date;
}

export const X12StagedBatchSchema = SchemaFactory.createForClass(X12StagedBatchDocument);
// Serves removing an upload's batches once applied or refused.
X12StagedBatchSchema.index({ uploadId: 1 });
// Serves removing batches an interrupted upload left behind.
X12StagedBatchSchema.index({ createdAt: 1 });
