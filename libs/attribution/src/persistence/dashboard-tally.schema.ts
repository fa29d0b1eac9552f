import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HelpCaseTally, VisitTally, WifiSessionTally } from '../domain/dashboard-tally';

/** One center's service date as the dashboard sees it (see domain/dashboard-tally.ts); `_id` is `<serviceDate>|<centerId>`. */
@Schema({ collection: 'dashboard_tallies', versionKey: false, minimize: false })
export class DashboardTallyDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** YYYY-MM: a range is read month by month, by equality. */
  @Prop({ required: true }) month!: string;
  @Prop({ type: Object, default: {} }) visits!: Record<string, VisitTally>;
  /** PHI-derived (a keyed pseudonym of the member); erased with the visits' identities. */
  @Prop({ type: Object }) visitors?: Record<string, string>;
  @Prop({ type: Object, default: {} }) helpCases!: Record<string, HelpCaseTally>;
  @Prop({ type: Object, default: {} }) wifiSessions!: Record<string, WifiSessionTally>;
  /** Set when retention erased the visitors' pseudonyms. */
  @Prop() identityErased?: boolean;
}

export const DashboardTallySchema = SchemaFactory.createForClass(DashboardTallyDocument);
// Serves the dashboard: the tallies of a month (then filtered to the range).
DashboardTallySchema.index({ month: 1, serviceDate: 1 });
