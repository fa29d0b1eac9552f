import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { WIFI_SESSION_END_REASONS, WIFI_SESSION_STATUSES, WifiSessionEndReason, WifiSessionStatus } from '@crc/contracts';
import { addOutbox, OutboxEntry } from '@crc/platform';

@Schema({ collection: 'wifi_sessions', versionKey: false })
export class WifiSessionDocument {
  /** The session id (UUID), derived from the Idempotency-Key when there is one. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) visitId!: string;
  @Prop({ required: true }) serviceDate!: string;
  @Prop({ type: String }) room?: string;
  /** HMAC-SHA256 of the normalised MAC address; the address itself is never stored. */
  @Prop({ type: String }) deviceHash?: string;
  @Prop({ type: String, required: true, enum: WIFI_SESSION_STATUSES }) status!: WifiSessionStatus;
  @Prop({ required: true }) startedAt!: Date;
  @Prop() lastHeartbeatAt?: Date;
  /** The last heartbeat, or the start: what the idle sweep reads by. */
  @Prop({ required: true }) lastActivityAt!: Date;
  @Prop() endedAt?: Date;
  @Prop({ type: String, enum: WIFI_SESSION_END_REASONS }) endedBy?: WifiSessionEndReason;
  @Prop() durationMinutes?: number;
  @Prop({ required: true }) startedBy!: string;
  /** Fingerprint of the start request, so a reused idempotency key is caught even after it expired. */
  @Prop() requestFingerprint?: string;
  /** The operation that ended the session: a retry of it (after a crash) is not a second end. */
  @Prop() endOperationId?: string;
  /** Bumped by every change; a write names the version it read (optimistic concurrency across instances on MongoDB). */
  @Prop({ required: true, default: 0 }) version!: number;

  outbox!: OutboxEntry[];
  outboxPending!: boolean;
}

export const WifiSessionSchema = SchemaFactory.createForClass(WifiSessionDocument);
addOutbox(WifiSessionSchema);
// Serves the center view's sessions in progress, oldest first.
WifiSessionSchema.index({ centerId: 1, status: 1, startedAt: 1 });
// Serves the center view's minutes used today.
WifiSessionSchema.index({ centerId: 1, serviceDate: 1 });
// Serves the idle sweep: active sessions whose last sign of life is older than the timeout.
WifiSessionSchema.index({ status: 1, lastActivityAt: 1 });
