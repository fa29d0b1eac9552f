import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { DaySummary } from '../domain/dashboard-summary';
import type { HelpCaseTally, VisitTally, WifiSessionTally } from '../domain/dashboard-tally';
import type { StoredEntry, StoredVisitorKeys } from './tally-entries';

/** One center's service date as the dashboard sees it (see domain/dashboard-tally.ts); `_id` is `<serviceDate>|<centerId>`. */
@Schema({ collection: 'dashboard_tallies', versionKey: false, minimize: false })
export class DashboardTallyDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) centerId!: string;
  @Prop({ required: true }) serviceDate!: string;
  /** YYYY-MM: the whole months of a long range are read by it. */
  @Prop({ required: true }) month!: string;
  /** Each entry one string (persistence/tally-entries.ts); entries written before as objects. */
  @Prop({ type: Object, default: {} }) visits!: Record<string, StoredEntry<VisitTally>>;
  /** PHI-derived (a keyed pseudonym of the member); erased with the visits' identities. */
  @Prop({ type: Object }) visitors?: Record<string, string>;
  @Prop({ type: Object, default: {} }) helpCases!: Record<string, StoredEntry<HelpCaseTally>>;
  @Prop({ type: Object, default: {} }) wifiSessions!: Record<string, StoredEntry<WifiSessionTally>>;
  /** Set when retention erased the visitors' pseudonyms. */
  @Prop() identityErased?: boolean;
  /** Counts every write; the summary beside it keeps the latest version's figures. */
  @Prop() version?: number;
}

export const DashboardTallySchema = SchemaFactory.createForClass(DashboardTallyDocument);
// Serve the dashboard: a day's tallies, and a whole month's for long ranges (each an equality).
DashboardTallySchema.index({ serviceDate: 1 });
DashboardTallySchema.index({ month: 1 });

/**
 * What the dashboard reads: one center's service date summed up (see DaySummary), a few hundred
 * bytes whatever the day's size, rewritten from its tally on every change (`_id` as the tally's).
 */
@Schema({ collection: 'dashboard_day_summaries', versionKey: false, minimize: false })
export class DashboardDaySummaryDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) serviceDate!: string;
  @Prop({ required: true }) month!: string;
  /** The tally's version it was computed from: an older computation never overwrites a newer one. */
  @Prop({ required: true }) version!: number;
  @Prop({ type: Object, required: true }) summary!: DaySummary;
  /**
   * The pseudonyms, outside `summary` so that identity retention can erase them (a top-level field):
   * one string, space between keys (see StoredVisitorKeys), or an array as written before.
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) visitorKeys?: StoredVisitorKeys;
  @Prop() identityErased?: boolean;
}

export const DashboardDaySummarySchema = SchemaFactory.createForClass(DashboardDaySummaryDocument);
// Serve the dashboard, each read an equality: a day's summaries, or a whole month's.
DashboardDaySummarySchema.index({ serviceDate: 1 });
DashboardDaySummarySchema.index({ month: 1 });
