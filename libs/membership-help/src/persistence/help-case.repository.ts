import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, documentLocks, newOutbox, OutboxEntry, pushToOutbox, WITHOUT_OUTBOX } from '@crc/platform';
import { HelpCase, HelpCaseNote } from '../domain/help-case';
import { HelpCaseDocument } from './help-case.schema';

const DUPLICATE_KEY = 11000;
const MAX_ATTEMPTS = 5;

export interface StoredHelpCase {
  helpCase: HelpCase;
  version: number;
  appliedOperations: string[];
  requestFingerprint?: string;
}

/** What a decision on a stored case asks to be written (nothing, when it only answers). */
export interface CaseWrite<R> {
  result: R;
  write?: { helpCase: HelpCase; events: OutboxEntry[]; operationId: string; addedNote?: HelpCaseNote };
}

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

@Injectable()
export class HelpCaseRepository {
  constructor(@InjectModel(HelpCaseDocument.name) private readonly cases: Model<HelpCaseDocument>) {}

  /** The case and its `help-requested` event, in one document write; `exists` for a retried request. */
  async insert(helpCase: HelpCase, events: OutboxEntry[], meta: { openedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'> {
    try {
      await this.cases.create({
        _id: helpCase.caseId,
        centerId: helpCase.centerId,
        visitId: helpCase.visitId,
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
        ...newOutbox(events),
      });
      return 'inserted';
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return 'exists';
      throw error;
    }
  }

  async findAtCenter(centerId: string, caseId: string): Promise<StoredHelpCase | undefined> {
    const doc = await this.cases.findOne({ _id: caseId, centerId }, WITHOUT_OUTBOX).lean<HelpCaseDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  /**
   * Reads the case, lets `decide` work out the change (domain rules, events), and writes it with
   * its events in one update, conditional on the version read. Within this process the document
   * lock serialises it with the outbox relay and other requests (FerretDB would otherwise let
   * two conditional updates both win); across instances on MongoDB the version condition does,
   * and a lost race decides again on the fresh state.
   */
  async modify<R>(centerId: string, caseId: string, decide: (stored: StoredHelpCase | undefined) => CaseWrite<R>): Promise<R> {
    return documentLocks.run(documentKey(this.cases.collection, caseId), async () => {
      for (let attempt = 1; ; attempt++) {
        const stored = await this.findAtCenter(centerId, caseId);
        const { result, write } = decide(stored);
        if (!write || !stored) return result;
        if (await this.update(stored.version, write.helpCase, write)) return result;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`help case ${caseId} kept changing while being updated`);
      }
    });
  }

  private async update(version: number, helpCase: HelpCase, write: NonNullable<CaseWrite<unknown>['write']>): Promise<boolean> {
    const outbox = write.events.length > 0 ? pushToOutbox(write.events) : undefined;
    const set: Record<string, unknown> = { status: helpCase.status, ...outbox?.$set };
    for (const field of ['assignee', 'startedAt', 'closedAt', 'outcome', 'escalatedTo'] as const) {
      if (helpCase[field] !== undefined) set[field] = helpCase[field];
    }
    const push: Record<string, unknown> = { appliedOperations: write.operationId, ...outbox?.$push };
    if (write.addedNote) push.notes = write.addedNote;
    const result = await this.cases
      .updateOne({ _id: helpCase.caseId, centerId: helpCase.centerId, version }, { $set: set, $push: push, $inc: { version: 1 } })
      .exec();
    return result.modifiedCount === 1;
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
