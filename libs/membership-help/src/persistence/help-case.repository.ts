import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AggregateChange, AggregateStore, aggregateStoreToken, OutboxEntry, WITHOUT_OUTBOX } from '@crc/platform';
import { HelpCase } from '../domain/help-case';
import { CaseWrite, HelpCaseRepositoryPort, StoredHelpCase } from '../domain/help-case.repository.port';
import { HelpCaseDocument } from './help-case.schema';

function toStored(doc: HelpCaseDocument): StoredHelpCase {
  return {
    helpCase: {
      caseId: doc._id,
      centerId: doc.centerId,
      ...(doc.visitId ? { visitId: doc.visitId } : {}),
      caseType: doc.caseType,
      status: doc.status,
      serviceDate: doc.serviceDate,
      requestedVia: doc.requestedVia,
      openedAt: doc.openedAt,
      ...(doc.assignee ? { assignee: doc.assignee } : {}),
      ...(doc.startedAt ? { startedAt: doc.startedAt } : {}),
      ...(doc.closedAt ? { closedAt: doc.closedAt } : {}),
      ...(doc.outcome ? { outcome: doc.outcome } : {}),
      ...(doc.escalatedTo ? { escalatedTo: doc.escalatedTo } : {}),
      notes: (doc.notes ?? []).map((n) => ({ noteId: n.noteId, note: n.note, addedAt: n.addedAt, addedBy: n.addedBy })),
    },
    version: doc.version ?? 0,
    appliedOperations: doc.appliedOperations ?? [],
    requestFingerprint: doc.requestFingerprint ?? undefined,
  };
}

/** The fields a decision changes, with its events. */
function changeOf(write: NonNullable<CaseWrite<unknown>['write']>): AggregateChange {
  const { helpCase } = write;
  const set: Record<string, unknown> = { status: helpCase.status };
  for (const field of ['assignee', 'startedAt', 'closedAt', 'outcome', 'escalatedTo'] as const) {
    if (helpCase[field] !== undefined) set[field] = helpCase[field];
  }
  const push: Record<string, unknown> = { appliedOperations: write.operationId };
  if (write.addedNote) push.notes = write.addedNote;
  return { set, push, events: write.events };
}

@Injectable()
export class HelpCaseRepository implements HelpCaseRepositoryPort {
  constructor(
    @InjectModel(HelpCaseDocument.name) private readonly cases: Model<HelpCaseDocument>,
    @Inject(aggregateStoreToken(HelpCaseDocument.name)) private readonly store: AggregateStore<HelpCaseDocument>,
  ) {}

  /** The case and its `help-requested` event, in one document write; `exists` for a retried request. */
  async insert(helpCase: HelpCase, events: OutboxEntry[], meta: { openedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'> {
    return this.store.insert(
      {
        _id: helpCase.caseId,
        centerId: helpCase.centerId,
        ...(helpCase.visitId ? { visitId: helpCase.visitId } : {}),
        caseType: helpCase.caseType,
        status: helpCase.status,
        serviceDate: helpCase.serviceDate,
        requestedVia: helpCase.requestedVia,
        openedAt: helpCase.openedAt,
        openedBy: meta.openedBy,
        notes: [],
        requestFingerprint: meta.requestFingerprint,
        appliedOperations: [],
        version: 0,
      },
      events,
    );
  }

  async findAtCenter(centerId: string, caseId: string): Promise<StoredHelpCase | undefined> {
    const doc = await this.cases.findOne({ _id: caseId, centerId }, WITHOUT_OUTBOX).lean<HelpCaseDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  /**
   * Reads the case, lets `decide` work out the change (domain rules, events), and writes it with
   * its events in one update conditional on the version read (the aggregate store: a lost race
   * decides again on the fresh state).
   */
  async modify<R>(centerId: string, caseId: string, decide: (stored: StoredHelpCase | undefined) => CaseWrite<R>): Promise<R> {
    return this.store.modify(caseId, { centerId }, (doc) => {
      const { result, write } = decide(doc ? toStored(doc) : undefined);
      return { result, ...(write ? { change: changeOf(write) } : {}) };
    });
  }

  /** The center's queue: open and in-progress cases, oldest first, without notes. */
  async listQueue(centerId: string, limit: number): Promise<HelpCase[]> {
    const docs = await this.cases
      .find({ centerId, status: { $in: ['OPEN', 'IN_PROGRESS'] } }, { ...WITHOUT_OUTBOX, notes: 0, appliedOperations: 0 })
      .sort({ openedAt: 1 })
      .limit(limit)
      .lean<HelpCaseDocument[]>()
      .exec();
    return docs.map((doc) => toStored(doc).helpCase);
  }
}
