import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A visit as a producing service knows it from `visit-checked-in`: its center and service date,
 * nothing about the visitor. Written once (insert only); removed after the retention window.
 */
@Schema({ collection: 'known_visits', versionKey: false })
export class KnownVisitDocument {
  /** The visit id. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
}

export const KnownVisitSchema = SchemaFactory.createForClass(KnownVisitDocument);
// Serves the retention sweep: visits before a service date.
KnownVisitSchema.index({ serviceDate: 1 });
