import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, documentLocks, InsertBatcher, StoreProfile } from '@crc/platform';
import { joinServicesToVisits, NamedService, QuarantinedService, VisitPlace } from '../domain/service-join';
import { DashboardTallyRepository } from './dashboard-tally.repository';
import { EventFacts } from '../domain/event-facts';
import { ServicesOfVisits, ServiceUseRepositoryPort, VisitServices } from '../domain/service-use.repository.port';
import { EventFactsApplier, mongooseProjection } from './event-facts.applier';
import { HelpCaseRecordDocument, QuarantinedServiceDocument, WifiSessionRecordDocument } from './service-use.schema';

export type { ServicesOfVisits, VisitServices } from '../domain/service-use.repository.port';

/** Help cases and Wi-Fi sessions, applied once per event id, converging whatever the order. */
@Injectable()
export class ServiceUseRepository implements ServiceUseRepositoryPort {
  private readonly caseFacts: EventFactsApplier<HelpCaseRecordDocument>;
  private readonly sessionFacts: EventFactsApplier<WifiSessionRecordDocument>;
  private readonly quarantineInserts: InsertBatcher<QuarantinedServiceDocument>;

  constructor(
    @InjectModel(HelpCaseRecordDocument.name) private readonly cases: Model<HelpCaseRecordDocument>,
    @InjectModel(WifiSessionRecordDocument.name) private readonly sessions: Model<WifiSessionRecordDocument>,
    @InjectModel(QuarantinedServiceDocument.name) private readonly quarantine: Model<QuarantinedServiceDocument>,
    private readonly tallies: DashboardTallyRepository,
    private readonly store: StoreProfile,
  ) {
    this.caseFacts = new EventFactsApplier(mongooseProjection(cases, store));
    this.sessionFacts = new EventFactsApplier(mongooseProjection(sessions, store));
    this.quarantineInserts = new InsertBatcher(quarantine.collection as never);
  }

  /** Applies a batch of help-case facts, each event once. */
  async applyHelpCases(facts: EventFacts[]): Promise<void> {
    await this.caseFacts.apply(facts, async (changed) => {
      await this.tallies.recordHelpCases(changed);
      return new Map();
    });
  }

  /** Applies a batch of Wi-Fi session facts, each event once. */
  async applyWifiSessions(facts: EventFacts[]): Promise<void> {
    await this.sessionFacts.apply(facts, async (changed) => {
      await this.tallies.recordWifiSessions(changed);
      return new Map();
    });
  }

  /**
   * What the feeds say of visits' services besides check-in: their help cases and Wi-Fi minutes
   * (one read by key each per batch of visits, StoreProfile.findByKeys). A service joins a visit by
   * its id *and* its center: one naming a visit of another center is returned as quarantined, never
   * among that visit's services.
   */
  async servicesOfVisits(visits: VisitPlace[]): Promise<ServicesOfVisits> {
    const visitIds = visits.map((v) => v.visitId);
    const [cases, sessions] = await Promise.all([
      this.store.findByKeys<HelpCaseRecordDocument>(this.cases.collection, 'visitId', visitIds),
      this.store.findByKeys<WifiSessionRecordDocument>(this.sessions.collection, 'visitId', visitIds),
    ]);
    // In id order, as the store sorted them before: a feed record lists them so, and its content hash must not depend on the read.
    cases.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    const named: Array<NamedService & ({ case: HelpCaseRecordDocument } | { session: WifiSessionRecordDocument })> = [
      ...cases.map((c) => ({ kind: 'HELP_CASE' as const, serviceId: c._id, visitId: c.visitId, centerId: c.centerId, serviceDate: c.serviceDate, case: c })),
      ...sessions.map((s) => ({
        kind: 'WIFI_SESSION' as const,
        serviceId: s._id,
        visitId: s.visitId,
        centerId: s.centerId,
        serviceDate: s.serviceDate,
        session: s,
      })),
    ];
    const { attached, quarantined } = joinServicesToVisits(visits, named);
    const services = new Map<string, VisitServices>();
    for (const [visitId, own] of attached) {
      const of: VisitServices = { membershipHelp: [], telehealthWifiMinutes: 0 };
      for (const service of own) {
        if ('case' in service) {
          const c = service.case;
          if (c.caseType)
            of.membershipHelp.push({
              caseType: c.caseType,
              ...(c.outcome ? { outcome: c.outcome } : {}),
              ...(c.minutesSpent !== undefined ? { minutes: c.minutesSpent } : {}),
            });
        } else {
          of.telehealthWifiMinutes += service.session.durationMinutes ?? 0;
        }
      }
      services.set(visitId, of);
    }
    return { services, quarantined };
  }

  /**
   * Keeps services that named a visit of another center aside, each once however often it is seen
   * (an insert; a duplicate is the same service again). Returns those newly kept aside.
   */
  async keepAside(services: QuarantinedService[], now = new Date()): Promise<QuarantinedService[]> {
    const outcomes = await Promise.all(services.map((s) => this.quarantineInserts.insert({ _id: `${s.kind}:${s.serviceId}`, ...s, quarantinedAt: now })));
    return services.filter((_, i) => outcomes[i] === 'inserted');
  }

  /** Every service kept aside (few: each is a kiosk's mistake or an attempt). */
  quarantined(): Promise<QuarantinedServiceDocument[]> {
    return this.quarantine.find({}).lean<QuarantinedServiceDocument[]>().exec();
  }

  /** Writes every help case's and Wi-Fi session's dashboard tally from its record, under the records' locks. */
  async retallyAll(pageSize: number): Promise<number> {
    const cases = await retallyInPages(this.cases, this.store, pageSize, (docs) => this.tallies.recordHelpCases(docs));
    const sessions = await retallyInPages(this.sessions, this.store, pageSize, (docs) => this.tallies.recordWifiSessions(docs));
    return cases + sessions;
  }

  async removeAll(): Promise<void> {
    await Promise.all([this.cases.deleteMany({}).exec(), this.sessions.deleteMany({}).exec(), this.quarantine.deleteMany({}).exec()]);
  }
}

/** One pass over a collection's ids; each page read again under its documents' locks, then tallied. */
async function retallyInPages<T extends { _id: string }>(
  model: Model<T>,
  store: StoreProfile,
  pageSize: number,
  tally: (docs: T[]) => Promise<void>,
): Promise<number> {
  let count = 0;
  let ids: string[] = [];
  const flush = async () => {
    const page = ids;
    ids = [];
    await documentLocks.run(
      page.map((id) => documentKey(model.collection, id)),
      async () => tally(await store.findByKeys<T>(model.collection, '_id', page)),
    );
    count += page.length;
  };
  for await (const doc of model.find({}, { _id: 1 }).lean<Array<{ _id: string }>>().cursor({ batchSize: pageSize })) {
    ids.push((doc as { _id: string })._id);
    if (ids.length === pageSize) await flush();
  }
  if (ids.length > 0) await flush();
  return count;
}
