import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, StoreProfile } from '@crc/platform';
import {
  daySummaryOf,
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
import { DaySummary } from '../domain/dashboard-summary';
import { DashboardDaySummaryDocument, DashboardTallyDocument } from './dashboard-tally.schema';
import {
  dayTallyOf,
  decodeVisitorKeys,
  encodeHelpCaseTally,
  encodeVisitorKeys,
  encodeVisitTally,
  encodeWifiSessionTally,
  StoredDayTally,
} from './tally-entries';

/** A document beside the tallies (no month: never read as one) saying the backfill is done. */
const BACKFILL_MARKER = 'backfill:v2';

interface Placed {
  _id: string;
  centerId: string;
  serviceDate: string;
}

type TallyChange = { place: Omit<Placed, '_id'>; set: Record<string, unknown> };

/**
 * Entries a deferring writer holds before it writes them anyway: bounds a rebuild's memory (about
 * 0.5 KB each, measured: 20,000 hold about 10 MB).
 */
const DEFERRED_ENTRIES_MAX = 20_000;
/** Tallies written at once when held writes are flushed. */
const FLUSH_CONCURRENCY = 100;

/**
 * Keeps the dashboard's tallies (domain/dashboard-tally.ts). Writers call it *before* they store
 * the change it reflects: should they stop in between, the change is applied again and writes the
 * same entries, whereas a tally written after could be missed for good.
 */
@Injectable()
export class DashboardTallyRepository {
  constructor(
    @InjectModel(DashboardTallyDocument.name) private readonly tallies: Model<DashboardTallyDocument>,
    @InjectModel(DashboardDaySummaryDocument.name) private readonly summaries: Model<DashboardDaySummaryDocument>,
    @Inject(FHIR_PSEUDONYMS) private readonly pseudonyms: FhirPseudonyms,
    private readonly store: StoreProfile,
  ) {}

  /** Writes held back by `deferWrites`, merged per tally. */
  private deferred?: { byTally: Map<string, TallyChange>; entries: number };

  /**
   * From now on, holds the tallies' writes in memory, merged per center and day, until
   * `flushDeferred` (or until DEFERRED_ENTRIES_MAX entries are held). A rebuild replays a year of
   * events in batches that each touch hundreds of days: written as they come, every visit cost a
   * tally write and a summary write (two thirds of a replay's store time); held, each tally is
   * written once or a few times. Only a process whose tallies nobody reads meanwhile defers.
   */
  deferWrites(): void {
    this.deferred ??= { byTally: new Map(), entries: 0 };
  }

  /** Writes what `deferWrites` held and writes as they come again; returns how many tallies were written. */
  async flushDeferred(options: { keepDeferring?: boolean } = {}): Promise<number> {
    const held = this.deferred;
    this.deferred = options.keepDeferring ? { byTally: new Map(), entries: 0 } : undefined;
    if (!held) return 0;
    const tallies = [...held.byTally];
    for (let i = 0; i < tallies.length; i += FLUSH_CONCURRENCY) await this.writeTallies(tallies.slice(i, i + FLUSH_CONCURRENCY));
    return tallies.length;
  }

  /** Visits as their records are now (records without their check-in are not counted yet). */
  async recordVisits(records: TalliedVisitRecord[]): Promise<void> {
    await this.write(
      records.flatMap((record) => {
        const tally = visitTallyOf(record);
        if (!tally) return [];
        const key = tallyKey(record._id);
        return [
          {
            place: record,
            set: {
              [`visits.${key}`]: encodeVisitTally(tally),
              ...(record.memberId ? { [`visitors.${key}`]: this.pseudonyms.visitorKey(record.memberId) } : {}),
            },
          },
        ];
      }),
    );
  }

  async recordHelpCases(records: Array<Placed & { openedAt?: Date; closedAt?: Date }>): Promise<void> {
    await this.write(records.map((r) => ({ place: r, set: { [`helpCases.${tallyKey(r._id)}`]: encodeHelpCaseTally(helpCaseTallyOf(r)) } })));
  }

  async recordWifiSessions(records: Array<Placed & { startedAt?: Date; endedAt?: Date; durationMinutes?: number }>): Promise<void> {
    await this.write(records.map((r) => ({ place: r, set: { [`wifiSessions.${tallyKey(r._id)}`]: encodeWifiSessionTally(wifiSessionTallyOf(r)) } })));
  }

  /** The day summaries of a service-date range: one read per whole month, one per other day (see tallyReadsFor). */
  async summariesBetween(from: string, to: string): Promise<DaySummary[]> {
    const reads = await Promise.all(
      tallyReadsFor(from, to).map((filter) =>
        this.summaries.collection
          .find<Pick<DashboardDaySummaryDocument, 'summary' | 'visitorKeys'>>(filter, { projection: { _id: 0, summary: 1, visitorKeys: 1 } })
          .toArray(),
      ),
    );
    // Without its pseudonyms (erased by retention) a day counts its own unique visitors.
    return reads.flat().map((doc) => ({ ...doc.summary, visitorKeys: decodeVisitorKeys(doc.visitorKeys) }));
  }

  /** Whether the tallies were written from every record already (data stored before tallies existed). */
  async backfilled(): Promise<boolean> {
    return (await this.tallies.collection.countDocuments({ _id: BACKFILL_MARKER as never }, { limit: 1 })) > 0;
  }

  async markBackfilled(): Promise<void> {
    await this.tallies.collection.updateOne({ _id: BACKFILL_MARKER as never }, { $set: { completedAt: new Date() } }, { upsert: true });
  }

  /** Empties the tallies and their summaries before a rebuild. */
  async removeAll(): Promise<void> {
    await this.tallies.deleteMany({}).exec();
    await this.summaries.deleteMany({}).exec();
  }

  /**
   * One update per tally, its entries replaced whole (applying them twice changes nothing), then its
   * day summary computed again from the tally as it now is. A crash in between leaves the summary
   * behind its tally until the same change is applied again, which the caller's order ensures.
   */
  private async write(changes: TallyChange[]): Promise<void> {
    const byTally = this.deferred?.byTally ?? new Map<string, TallyChange>();
    for (const { place, set } of changes) {
      const id = dayTallyId(place.serviceDate, place.centerId);
      const existing = byTally.get(id);
      // A later change of the same entry wins, as it would written in turn.
      if (existing) Object.assign(existing.set, set);
      else byTally.set(id, { place, set: { ...set } });
    }
    if (this.deferred) {
      this.deferred.entries += changes.length;
      if (this.deferred.entries >= DEFERRED_ENTRIES_MAX) await this.flushDeferred({ keepDeferring: true });
      return;
    }
    await this.writeTallies([...byTally]);
  }

  private async writeTallies(tallies: Array<[string, TallyChange]>): Promise<void> {
    await Promise.all(
      tallies.map(([id, { place, set }]) =>
        // FerretDB updates by reading and writing back the whole document: two writers of one tally at once would lose one (see StoreProfile).
        this.store.exclusive(documentKey(this.tallies.collection, id), async () => {
          const tally = await this.tallies.collection.findOneAndUpdate(
            { _id: id as never },
            { $set: set, $inc: { version: 1 }, $setOnInsert: { centerId: place.centerId, serviceDate: place.serviceDate, month: monthOf(place.serviceDate) } },
            { upsert: true, returnDocument: 'after' },
          );
          if (!tally) throw new Error(`dashboard tally ${id} was not returned by its upsert`);
          await this.writeSummary(id, tally as unknown as StoredDayTally & { version: number; month: string });
        }),
      ),
    );
  }

  /** The summary of a tally's version, unless a later version's is stored already (writers may overlap on MongoDB). */
  private async writeSummary(id: string, tally: StoredDayTally & { version: number; month: string }): Promise<void> {
    const { visitorKeys, ...summary } = daySummaryOf(dayTallyOf(tally));
    const fields = { serviceDate: tally.serviceDate, month: tally.month, version: tally.version, summary, visitorKeys: encodeVisitorKeys(visitorKeys ?? []) };
    for (let attempt = 0; attempt < 3; attempt++) {
      const updated = await this.summaries.collection.updateOne({ _id: id as never, version: { $lt: tally.version } }, { $set: fields });
      if (updated.matchedCount > 0) return;
      try {
        await this.summaries.collection.insertOne({ _id: id as never, ...fields });
        return;
      } catch (error) {
        // Another writer created it meanwhile: compare versions again.
        if ((error as { code?: number }).code !== 11000) throw error;
      }
    }
  }
}
