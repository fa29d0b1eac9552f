/**
 * Small in-memory implementations of the attribution context's repository ports, for unit tests
 * of its use cases (never for end-to-end tests, which run on the real store). Visit records, help
 * cases and Wi-Fi sessions go through the real `EventFactsApplier`, over an in-memory collection.
 */
import type { Coverage } from '@crc/eligibility';
import type { OutboxEntry } from '@crc/platform';
import { AttributionConflictRepositoryPort, ConflictChange } from '../domain/attribution-conflict.repository.port';
import { Attribution } from '../domain/attribution-rules';
import { CoverageLookupPort } from '../domain/coverage-lookup.port';
import { EventFacts } from '../domain/event-facts';
import { joinServicesToVisits, QuarantinedService, VisitPlace } from '../domain/service-join';
import { ServicesOfVisits, ServiceUseRepositoryPort, VisitServices } from '../domain/service-use.repository.port';
import { PublishedRevision } from '../domain/utilization-revision';
import { VisitAttributionRepositoryPort } from '../domain/visit-attribution.repository.port';
import { DecorateRecords, VisitRecord, VisitRecordRepositoryPort } from '../domain/visit-record.repository.port';
import { EventFactsApplier, ProjectionCollection } from '../persistence/event-facts.applier';

let collections = 0;

/** A collection in memory; counts its statements, so tests can hold the applier to one read per batch. */
export class InMemoryCollection<T extends { _id: string; appliedEventIds: string[] }> implements ProjectionCollection<T> {
  readonly docs = new Map<string, T>();
  readonly statements = { reads: 0, inserts: 0, upserts: 0 };
  private readonly name = `memory-${++collections}`;
  /** Called before an insert, e.g. to let another writer create the document first. */
  beforeInsert?: (id: string) => void;

  lockKey(id: string): string {
    return `${this.name}:${id}`;
  }

  async findMany(ids: string[]): Promise<T[]> {
    this.statements.reads++;
    return ids.flatMap((id) => (this.docs.has(id) ? [structuredClone(this.docs.get(id)!)] : []));
  }

  async insert(doc: Record<string, unknown>): Promise<'inserted' | 'duplicate'> {
    this.statements.inserts++;
    const id = doc._id as string;
    this.beforeInsert?.(id);
    if (this.docs.has(id)) return 'duplicate';
    this.docs.set(id, structuredClone(doc) as T);
    return 'inserted';
  }

  async upsert(id: string, set: Record<string, unknown>, setOnInsert: Record<string, unknown>, eventIds: string[]): Promise<void> {
    this.statements.upserts++;
    // As MongoDB and FerretDB do: one update may not both set and set-on-insert a field.
    const both = Object.keys(setOnInsert).filter((key) => key in set);
    if (both.length > 0) throw new Error(`Updating the path '${both[0]}' would create a conflict`);
    const existing = this.docs.get(id);
    if (!existing) {
      this.docs.set(id, structuredClone({ _id: id, ...setOnInsert, ...set, appliedEventIds: eventIds }) as unknown as T);
      return;
    }
    Object.assign(existing, structuredClone(set));
    existing.appliedEventIds = [...new Set([...existing.appliedEventIds, ...eventIds])];
  }
}

type StoredVisitRecord = VisitRecord & { appliedEventIds: string[] };

export class InMemoryVisitRecords extends VisitRecordRepositoryPort {
  readonly collection = new InMemoryCollection<StoredVisitRecord>();
  private readonly applier = new EventFactsApplier(this.collection);
  /** Records' copies of the attribution written outside a batch's own write. */
  readonly attributionCopies: Array<{ visitId: string; attribution: Attribution }> = [];

  apply(facts: EventFacts[], decorate?: DecorateRecords): Promise<Map<string, VisitRecord>> {
    return this.applier.apply(facts, decorate);
  }

  async getMany(visitIds: string[]): Promise<VisitRecord[]> {
    return visitIds.flatMap((id) => (this.collection.docs.has(id) ? [structuredClone(this.collection.docs.get(id)!)] : []));
  }

  async setAttribution(record: VisitRecord, attribution: Attribution): Promise<void> {
    this.attributionCopies.push({ visitId: record._id, attribution });
    const stored = this.collection.docs.get(record._id);
    if (stored) stored.attribution = { ...attribution, attributedAt: new Date() };
  }

  get(visitId: string): StoredVisitRecord | undefined {
    return this.collection.docs.get(visitId);
  }
}

interface StoredService {
  _id: string;
  appliedEventIds: string[];
  visitId?: string;
  centerId: string;
  serviceDate: string;
  caseType?: string;
  outcome?: string;
  minutesSpent?: number;
  durationMinutes?: number;
}

export class InMemoryServiceUses extends ServiceUseRepositoryPort {
  readonly cases = new InMemoryCollection<StoredService>();
  readonly sessions = new InMemoryCollection<StoredService>();
  readonly keptAside = new Map<string, QuarantinedService>();
  private readonly caseFacts = new EventFactsApplier(this.cases);
  private readonly sessionFacts = new EventFactsApplier(this.sessions);

  async applyHelpCases(facts: EventFacts[]): Promise<void> {
    await this.caseFacts.apply(facts);
  }

  async applyWifiSessions(facts: EventFacts[]): Promise<void> {
    await this.sessionFacts.apply(facts);
  }

  async servicesOfVisits(visits: VisitPlace[]): Promise<ServicesOfVisits> {
    const named = [
      ...[...this.cases.docs.values()].map((c) => ({ kind: 'HELP_CASE' as const, serviceId: c._id, ...c })),
      ...[...this.sessions.docs.values()].map((s) => ({ kind: 'WIFI_SESSION' as const, serviceId: s._id, ...s })),
    ];
    const { attached, quarantined } = joinServicesToVisits(visits, named);
    const services = new Map<string, VisitServices>();
    for (const [visitId, own] of attached) {
      const of: VisitServices = { membershipHelp: [], telehealthWifiMinutes: 0 };
      for (const s of own) {
        if (s.kind === 'HELP_CASE' && s.caseType)
          of.membershipHelp.push({
            caseType: s.caseType,
            ...(s.outcome ? { outcome: s.outcome } : {}),
            ...(s.minutesSpent !== undefined ? { minutes: s.minutesSpent } : {}),
          });
        if (s.kind === 'WIFI_SESSION') of.telehealthWifiMinutes += s.durationMinutes ?? 0;
      }
      services.set(visitId, of);
    }
    return { services, quarantined };
  }

  async keepAside(services: QuarantinedService[]): Promise<QuarantinedService[]> {
    const fresh = services.filter((s) => !this.keptAside.has(`${s.kind}:${s.serviceId}`));
    for (const s of fresh) this.keptAside.set(`${s.kind}:${s.serviceId}`, s);
    return fresh;
  }
}

export interface StoredRevision {
  attribution: Attribution;
  published: PublishedRevision;
  feedEntries: OutboxEntry[];
}

export class InMemoryLedger extends VisitAttributionRepositoryPort {
  readonly revisions = new Map<string, StoredRevision[]>();
  /** The ids each `publishedOf` was asked for. */
  readonly publishedOfCalls: string[][] = [];
  /** Called before a revision is saved, e.g. to let another writer record one first. */
  beforeSave?: (visitId: string) => void;

  last(visitId: string): StoredRevision | undefined {
    return this.revisions.get(visitId)?.at(-1);
  }

  async published(visitId: string): Promise<PublishedRevision | undefined> {
    return this.last(visitId)?.published;
  }

  async publishedOf(visitIds: string[]): Promise<Map<string, PublishedRevision>> {
    this.publishedOfCalls.push(visitIds);
    return new Map(visitIds.flatMap((id) => (this.last(id) ? [[id, this.last(id)!.published] as const] : [])));
  }

  async attributionsOf(visitIds: string[]): Promise<Map<string, Pick<Attribution, 'plan' | 'basis' | 'flags'>>> {
    return new Map(
      visitIds.flatMap((id) => {
        const last = this.last(id);
        return last ? [[id, { plan: last.attribution.plan, basis: last.attribution.basis, flags: last.attribution.flags }] as const] : [];
      }),
    );
  }

  async saveRevision(
    visitId: string,
    previousRevision: number | undefined,
    attribution: Attribution,
    published: PublishedRevision,
    feedEntries: OutboxEntry[],
  ): Promise<'created' | 'updated' | 'conflict'> {
    this.beforeSave?.(visitId);
    if (this.last(visitId)?.published.revision !== previousRevision) return 'conflict';
    this.revisions.set(visitId, [...(this.revisions.get(visitId) ?? []), { attribution, published, feedEntries }]);
    return previousRevision === undefined ? 'created' : 'updated';
  }
}

export class InMemoryConflicts extends AttributionConflictRepositoryPort {
  readonly resolutions = new Map<string, { plan: 'LA_CARE' | 'BLUE_SHIELD_PROMISE' }>();
  readonly recorded: ConflictChange[] = [];

  async resolutionsOf(visitIds: string[]): Promise<Map<string, { plan: 'LA_CARE' | 'BLUE_SHIELD_PROMISE' }>> {
    return new Map(visitIds.flatMap((id) => (this.resolutions.has(id) ? [[id, this.resolutions.get(id)!] as const] : [])));
  }

  async record(changes: ConflictChange[]): Promise<void> {
    this.recorded.push(...changes);
  }
}

export class InMemoryCoverages extends CoverageLookupPort {
  private readonly byIdentifier = new Map<string, Coverage[]>();

  add(...coverages: Coverage[]): this {
    for (const coverage of coverages) {
      for (const id of [coverage.memberId, coverage.cin].filter((x): x is string => !!x)) {
        this.byIdentifier.set(id, [...(this.byIdentifier.get(id) ?? []), coverage]);
      }
    }
    return this;
  }

  async findByIdentifiers(identifiers: string[]): Promise<Map<string, Coverage[]>> {
    return new Map(identifiers.flatMap((id) => (this.byIdentifier.has(id) ? [[id, this.byIdentifier.get(id)!] as const] : [])));
  }
}
