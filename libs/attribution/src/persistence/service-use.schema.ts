import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HelpCaseOutcome, HelpCaseType, WifiSessionEndReason } from '@crc/contracts';
import { QuarantineReason, ServiceKind } from '../domain/service-join';

/**
 * A membership-help case as reporting knows it, from the membership service's events in any order.
 * Keyed by case: walk-ins have no visit.
 */
@Schema({ collection: 'help_case_records', versionKey: false })
export class HelpCaseRecordDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String }) visitId?: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  @Prop({ type: String }) caseType?: HelpCaseType;
  @Prop() openedAt?: Date;
  /** Closing is final: once set by the closing event, nothing reopens the case. */
  @Prop() closedAt?: Date;
  @Prop({ type: String }) outcome?: HelpCaseOutcome;
  @Prop() minutesSpent?: number;
  @Prop({ type: [String], default: [] }) appliedEventIds!: string[];
}

export const HelpCaseRecordSchema = SchemaFactory.createForClass(HelpCaseRecordDocument);
// Serves the visit record's join: the cases of a visit.
HelpCaseRecordSchema.index({ visitId: 1 });
// Serves the dashboard: cases of a period per center.
HelpCaseRecordSchema.index({ serviceDate: 1, centerId: 1 });

/** A telehealth Wi-Fi session as reporting knows it. */
@Schema({ collection: 'wifi_session_records', versionKey: false })
export class WifiSessionRecordDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) visitId!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  @Prop() startedAt?: Date;
  @Prop() endedAt?: Date;
  @Prop() durationMinutes?: number;
  @Prop({ type: String }) endedBy?: WifiSessionEndReason;
  @Prop({ type: [String], default: [] }) appliedEventIds!: string[];
}

export const WifiSessionRecordSchema = SchemaFactory.createForClass(WifiSessionRecordDocument);
// Serves the visit record's join: the sessions of a visit.
WifiSessionRecordSchema.index({ visitId: 1 });
// Serves the dashboard: sessions of a period per center.
WifiSessionRecordSchema.index({ serviceDate: 1, centerId: 1 });

/**
 * A service that named a visit of another center: never attached to it, kept aside for
 * operations. Keyed `<kind>:<service id>`, written once (insert only). A projection, rebuilt with
 * the others. Small: read whole.
 */
@Schema({ collection: 'quarantined_service_uses', versionKey: false })
export class QuarantinedServiceDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) kind!: ServiceKind;
  @Prop({ required: true }) serviceId!: string;
  @Prop({ required: true }) visitId!: string;
  /** Where the service was used. */
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** Where the visit it named was checked in. */
  @Prop({ required: true }) visitCenterId!: string;
  @Prop({ type: String, required: true }) reason!: QuarantineReason;
  @Prop({ required: true }) quarantinedAt!: Date;
}

export const QuarantinedServiceSchema = SchemaFactory.createForClass(QuarantinedServiceDocument);
