import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AggregateStore, aggregateStoreToken, OutboxEntry, StoreProfile } from '@crc/platform';
import { Attribution } from '../domain/attribution-rules';
import { PublishedRevision } from '../domain/utilization-revision';
import { VisitAttributionRepositoryPort } from '../domain/visit-attribution.repository.port';
import { VisitAttributionDocument } from './visit-attribution.schema';

type LedgerView = Pick<VisitAttributionDocument, '_id' | 'published'> & { attribution?: Pick<Attribution, 'rule' | 'ruleVersion' | 'rosterPlan'> };
const PUBLISHED_FIELDS = { published: 1, 'attribution.rule': 1, 'attribution.ruleVersion': 1, 'attribution.rosterPlan': 1 };
const toPublished = (doc: LedgerView): PublishedRevision => ({
  plan: doc.published.plan,
  revision: doc.published.revision,
  contentHash: doc.published.contentHash,
  ...(doc.attribution
    ? { recorded: { rule: doc.attribution.rule, ruleVersion: doc.attribution.ruleVersion, rosterPlan: doc.attribution.rosterPlan ?? undefined } }
    : {}),
});

@Injectable()
export class VisitAttributionRepository implements VisitAttributionRepositoryPort {
  constructor(
    @InjectModel(VisitAttributionDocument.name) private readonly ledger: Model<VisitAttributionDocument>,
    @Inject(aggregateStoreToken(VisitAttributionDocument.name)) private readonly store: AggregateStore<VisitAttributionDocument>,
    private readonly profile: StoreProfile,
  ) {}

  async published(visitId: string): Promise<PublishedRevision | undefined> {
    const doc = await this.ledger.findById(visitId, PUBLISHED_FIELDS).lean<LedgerView>().exec();
    return doc ? toPublished(doc) : undefined;
  }

  /** The last published revision of each of these visits that has one, in one read by key (StoreProfile.findByKeys). */
  async publishedOf(visitIds: string[]): Promise<Map<string, PublishedRevision>> {
    const docs = await this.profile.findByKeys<LedgerView>(this.ledger.collection, '_id', visitIds, { projection: PUBLISHED_FIELDS });
    return new Map(docs.map((doc) => [doc._id, toPublished(doc)]));
  }

  /** The attribution the feeds were last told, of each of these visits that has one (rule 2 keeps it while a conflict waits). */
  async attributionsOf(visitIds: string[]): Promise<Map<string, Pick<Attribution, 'plan' | 'basis' | 'flags'>>> {
    const docs = await this.profile.findByKeys<Pick<VisitAttributionDocument, '_id' | 'attribution'>>(this.ledger.collection, '_id', visitIds, {
      projection: { 'attribution.plan': 1, 'attribution.basis': 1, 'attribution.flags': 1 },
    });
    return new Map(docs.map((doc) => [doc._id, { plan: doc.attribution.plan, basis: doc.attribution.basis, flags: doc.attribution.flags ?? [] }]));
  }

  /**
   * Records a new revision with its feed entries in one write, unless another writer recorded a
   * revision since `previousRevision` was read (then nothing is written: `conflict`). `created`: the
   * visit's first revision, in a new document (first revisions arriving together share one
   * commit). The store hands the entries to the feed relay.
   */
  async saveRevision(
    visitId: string,
    previousRevision: number | undefined,
    attribution: Attribution,
    published: PublishedRevision,
    feedEntries: OutboxEntry[],
  ): Promise<'created' | 'updated' | 'conflict'> {
    const now = new Date();
    const fields = { attribution: { ...attribution, attributedAt: now }, published, updatedAt: now };
    if (previousRevision === undefined) {
      const doc = new this.ledger({ _id: visitId, ...fields });
      const invalid = doc.validateSync();
      if (invalid) throw invalid;
      return (await this.store.insert(doc.toObject(), feedEntries)) === 'inserted' ? 'created' : 'conflict';
    }
    const saved = await this.store.update(visitId, { 'published.revision': previousRevision }, { set: fields, events: feedEntries });
    return saved ? 'updated' : 'conflict';
  }
}
