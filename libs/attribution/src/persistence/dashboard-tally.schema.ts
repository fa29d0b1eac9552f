import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HelpCaseTally, VisitTally, WifiSessionTally } from '../domain/dashboard-tally';

/** One center's service date as the dashboard sees it (see domain/dashboard-tally.ts); `_id` is `<serviceDate>|<centerId>`. */
@Schema({ collection: 'dashboard_tallies', versionKey: false, minimize: false })
export class DashboardTallyDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** YYYY-MM: the whole months of a long range are read by it. */
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
// Serve the dashboard: a day's tallies, and a whole month's for long ranges (each an equality).
DashboardTallySchema.index({ serviceDate: 1 });
DashboardTallySchema.index({ month: 1 });
