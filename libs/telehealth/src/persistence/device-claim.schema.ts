import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One document per device with a session in progress at a center. Its `_id` is
 * `<centerId>:<device hash>`, so inserting it is the atomic "this device is now taken" (a unique
 * `_id` insert is atomic on MongoDB and, verified, on FerretDB 1.24, which has no partial
 * unique index that could say "one ACTIVE session per device" on the sessions themselves).
 */
@Schema({ collection: 'wifi_device_claims', versionKey: false })
export class DeviceClaimDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) sessionId!: string;
  @Prop({ required: true }) claimedAt!: Date;
}

export const DeviceClaimSchema = SchemaFactory.createForClass(DeviceClaimDocument);
