import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

@Schema({ collection: 'idempotency_keys', versionKey: false })
export class IdempotencyRecordDocument {
  /** The operation id derived from scope and key (see operationIdFor). */
  @Prop({ type: String, required: true }) _id!: string;
  /** Who the key belongs to, e.g. a kiosk's credential: keys of different callers never meet. */
  @Prop({ required: true }) scope!: string;
  @Prop({ required: true }) fingerprint!: string;
  @Prop({ type: String, required: true }) state!: 'STARTED' | 'COMPLETED';
  @Prop({ type: MongooseSchema.Types.Mixed }) response?: { status: number; body: unknown };
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
}

export const IdempotencyRecordSchema = SchemaFactory.createForClass(IdempotencyRecordDocument);
// Serves the expiry sweep (FerretDB has no TTL indexes, so expiry is ours to do).
IdempotencyRecordSchema.index({ expiresAt: 1 });
