import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { documentKey, documentLocks, StoreProfile } from '@crc/platform';
import { AttributionConflictRepositoryPort, ConflictChange } from '../domain/attribution-conflict.repository.port';
import { ConflictStatus } from '../domain/conflict-status';
import { AttributionConflictDocument } from './attribution-conflict.schema';

export type { ConflictChange } from '../domain/attribution-conflict.repository.port';

/** A visit in the operations review queue, as operations see it (no member identifiers). */
export type StoredConflict = Pick<
  AttributionConflictDocument,
  '_id' | 'centerId' | 'serviceDate' | 'status' | 'productLines' | 'currentPlan' | 'since' | 'resolution' | 'resolvedByPrecedence'
>;

@Injectable()
export class AttributionConflictRepository implements AttributionConflictRepositoryPort {
  constructor(
    @InjectModel(AttributionConflictDocument.name) private readonly conflicts: Model<AttributionConflictDocument>,
    private readonly store: StoreProfile,
  ) {}

  /** Operations' choices for these visits, in one read by key (asked only for visits in conflict, which are few). */
  async resolutionsOf(visitIds: string[]): Promise<Map<string, { plan: PartnerPlan }>> {
    const docs = await this.store.findByKeys<Pick<AttributionConflictDocument, '_id' | 'resolution'>>(this.conflicts.collection, '_id', visitIds, {
      filter: { resolution: { $exists: true } },
      projection: { 'resolution.plan': 1 },
    });
    return new Map(docs.map((d) => [d._id, { plan: d.resolution!.plan }]));
  }

  /** Keeps the queue in step with the visits' attributions: one single-document write per changed visit. */
  async record(changes: ConflictChange[]): Promise<void> {
    const now = new Date();
    await Promise.all(
      changes.map(({ visitId, centerId, serviceDate, attribution, begins }) =>
        this.locked(visitId, async () => {
          const conflict = attribution.conflict;
          if (!conflict) {
            await this.conflicts
              .updateOne({ _id: visitId, status: { $ne: 'CLEARED' } }, { $set: { status: 'CLEARED', currentPlan: attribution.plan, updatedAt: now } })
              .exec();
            return;
          }
          const status: ConflictStatus = conflict.resolvedBy ? 'RESOLVED' : 'WAITING';
          await this.conflicts
            .updateOne(
              { _id: visitId },
              {
                $set: {
                  centerId,
                  serviceDate,
                  status,
                  productLines: conflict.productLines,
                  currentPlan: attribution.plan,
                  updatedAt: now,
                  ...(conflict.resolvedBy === 'PRECEDENCE' ? { resolvedByPrecedence: attribution.plan } : {}),
                  ...(begins ? { since: now } : {}),
                },
                ...(conflict.resolvedBy === 'PRECEDENCE' ? {} : { $unset: { resolvedByPrecedence: '' } }),
                ...(begins ? {} : { $setOnInsert: { since: now } }),
              },
              { upsert: true },
            )
            .exec();
        }),
      ),
    );
  }

  async get(visitId: string): Promise<StoredConflict | undefined> {
    return (await this.conflicts.findById(visitId).lean<AttributionConflictDocument>().exec()) ?? undefined;
  }

  /** The queue, longest waiting first. */
  async list(status: ConflictStatus | undefined, limit: number): Promise<StoredConflict[]> {
    return this.conflicts
      .find(status ? { status } : {})
      .sort({ since: 1, _id: 1 })
      .limit(limit)
      .lean<AttributionConflictDocument[]>()
      .exec();
  }

  /** Records operations' choice, unless the conflict has gone meanwhile (then false). */
  async resolve(visitId: string, resolution: { plan: PartnerPlan; reason: string; resolvedBy: string }): Promise<boolean> {
    const now = new Date();
    const result = await this.locked(visitId, () =>
      this.conflicts
        .updateOne({ _id: visitId, status: { $ne: 'CLEARED' } }, { $set: { resolution: { ...resolution, resolvedAt: now }, updatedAt: now } })
        .exec(),
    );
    return result.matchedCount > 0;
  }

  /** Attribution and operations may write one conflict at once (see DocumentLocks). */
  private locked<T>(visitId: string, work: () => Promise<T>): Promise<T> {
    return documentLocks.run(documentKey(this.conflicts.collection, visitId), work);
  }
}
