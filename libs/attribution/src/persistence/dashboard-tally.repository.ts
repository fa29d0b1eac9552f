import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, StoreProfile } from '@crc/platform';
import {
  DayTally,
  dayTallyId,
  helpCaseTallyOf,
  monthOf,
  TalliedVisitRecord,
  tallyKey,
  tallyReadsFor,
  visitTallyOf,
  wifiSessionTallyOf,
} from '../domain/dashboard-tally';
import { FHIR_PSEUDONYMS, FhirPseudonyms } from '../domain/fhir-mapping';
import { DashboardTallyDocument } from './dashboard-tally.schema';

/** A document beside the tallies (no month: never read as one) saying the backfill is done. */
const BACKFILL_MARKER = 'backfill';

interface Placed {
  _id: string;
  centerId: string;
  serviceDate: string;
}

/**
 * Keeps the dashboard's tallies (domain/dashboard-tally.ts). Writers call it *before* they store
 * the change it reflects: should they stop in between, the change is applied again and writes the
 * same entries, whereas a tally written after could be missed for good.
 */
@Injectable()
export class DashboardTallyRepository {
  constructor(
    @InjectModel(DashboardTallyDocument.name) private readonly tallies: Model<DashboardTallyDocument>,
    @Inject(FHIR_PSEUDONYMS) private readonly pseudonyms: FhirPseudonyms,
    private readonly store: StoreProfile,
  ) {}

  /** Visits as their records are now (records without their check-in are not counted yet). */
  async recordVisits(records: TalliedVisitRecord[]): Promise<void> {
    await this.write(
      records.flatMap((record) => {
        const tally = visitTallyOf(record);
        if (!tally) return [];
        const key = tallyKey(record._id);
        return [{ place: record, set: { [`visits.${key}`]: tally, ...(record.memberId ? { [`visitors.${key}`]: this.pseudonyms.visitorKey(record.memberId) } : {}) } }];
      }),
    );
  }

  async recordHelpCases(records: Array<Placed & { openedAt?: Date; closedAt?: Date }>): Promise<void> {
    await this.write(records.map((r) => ({ place: r, set: { [`helpCases.${tallyKey(r._id)}`]: helpCaseTallyOf(r) } })));
  }

  async recordWifiSessions(records: Array<Placed & { startedAt?: Date; endedAt?: Date; durationMinutes?: number }>): Promise<void> {
    await this.write(records.map((r) => ({ place: r, set: { [`wifiSessions.${tallyKey(r._id)}`]: wifiSessionTallyOf(r) } })));
  }

  /** The tallies of a service-date range: one read per whole month, one per other day (see tallyReadsFor). */
  async between(from: string, to: string): Promise<DayTally[]> {
    const reads = await Promise.all(
      tallyReadsFor(from, to).map((filter) => this.tallies.collection.find<DayTally>(filter, { projection: { _id: 0, month: 0, identityErased: 0 } }).toArray()),
    );
    return reads.flat();
  }

  /** Whether the tallies were written from every record already (data stored before tallies existed). */
  async backfilled(): Promise<boolean> {
    return (await this.tallies.collection.countDocuments({ _id: BACKFILL_MARKER as never }, { limit: 1 })) > 0;
  }

  async markBackfilled(): Promise<void> {
    await this.tallies.collection.updateOne({ _id: BACKFILL_MARKER as never }, { $set: { completedAt: new Date() } }, { upsert: true });
  }

  /** Empties the tallies before a rebuild. */
  async removeAll(): Promise<void> {
    await this.tallies.deleteMany({}).exec();
  }

  /** One update per tally, its entries replaced whole (applying them twice changes nothing). */
  private async write(changes: Array<{ place: Omit<Placed, '_id'>; set: Record<string, unknown> }>): Promise<void> {
    const byTally = new Map<string, { place: Omit<Placed, '_id'>; set: Record<string, unknown> }>();
    for (const { place, set } of changes) {
      const id = dayTallyId(place.serviceDate, place.centerId);
      const existing = byTally.get(id);
      if (existing) Object.assign(existing.set, set);
      else byTally.set(id, { place, set: { ...set } });
    }
    await Promise.all(
      [...byTally].map(([id, { place, set }]) =>
        // FerretDB updates by reading and writing back the whole document: two writers of one tally at once would lose one (see StoreProfile).
        this.store.exclusive(documentKey(this.tallies.collection, id), () =>
          this.tallies.collection.updateOne(
            { _id: id as never },
            { $set: set, $setOnInsert: { centerId: place.centerId, serviceDate: place.serviceDate, month: monthOf(place.serviceDate) } },
            { upsert: true },
          ),
        ),
      ),
    );
  }
}
