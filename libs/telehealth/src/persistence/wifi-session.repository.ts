import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { documentKey, documentLocks, newOutbox, OutboxEntry, pushToOutbox, WITHOUT_OUTBOX } from '@crc/platform';
import { lastActivityOf, WifiSession } from '../domain/wifi-session';
import { WifiSessionDocument } from './wifi-session.schema';

const DUPLICATE_KEY = 11000;
const MAX_ATTEMPTS = 5;

export interface StoredWifiSession {
  session: WifiSession;
  version: number;
  requestFingerprint?: string;
  endOperationId?: string;
}

/** What a decision on a stored session asks to be written (nothing, when it only answers). */
export interface SessionWrite<R> {
  result: R;
  write?: { session: WifiSession; events: OutboxEntry[]; endOperationId?: string };
}

function toSession(doc: WifiSessionDocument): WifiSession {
  return {
    sessionId: doc._id,
    centerId: doc.centerId,
    visitId: doc.visitId,
    serviceDate: doc.serviceDate,
    ...(doc.room ? { room: doc.room } : {}),
    ...(doc.deviceHash ? { deviceHash: doc.deviceHash } : {}),
    status: doc.status,
    startedAt: doc.startedAt,
    ...(doc.lastHeartbeatAt ? { lastHeartbeatAt: doc.lastHeartbeatAt } : {}),
    ...(doc.endedAt ? { endedAt: doc.endedAt } : {}),
    ...(doc.endedBy ? { endedBy: doc.endedBy } : {}),
    ...(typeof doc.durationMinutes === 'number' ? { durationMinutes: doc.durationMinutes } : {}),
  };
}

@Injectable()
export class WifiSessionRepository {
  constructor(@InjectModel(WifiSessionDocument.name) private readonly sessions: Model<WifiSessionDocument>) {}

  /** The session and its `wifi-session-started` event, in one document write; `exists` for a retried request. */
  async insert(session: WifiSession, events: OutboxEntry[], meta: { startedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'> {
    try {
      await this.sessions.create({
        _id: session.sessionId,
        centerId: session.centerId,
        visitId: session.visitId,
        serviceDate: session.serviceDate,
        room: session.room,
        deviceHash: session.deviceHash,
        status: session.status,
        startedAt: session.startedAt,
        lastActivityAt: lastActivityOf(session),
        startedBy: meta.startedBy,
        requestFingerprint: meta.requestFingerprint,
        version: 0,
        ...newOutbox(events),
      });
      return 'inserted';
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return 'exists';
      throw error;
    }
  }

  async findAtCenter(centerId: string, sessionId: string): Promise<StoredWifiSession | undefined> {
    const doc = await this.sessions.findOne({ _id: sessionId, centerId }, WITHOUT_OUTBOX).lean<WifiSessionDocument>().exec();
    return doc
      ? { session: toSession(doc), version: doc.version ?? 0, requestFingerprint: doc.requestFingerprint, endOperationId: doc.endOperationId }
      : undefined;
  }

  /**
   * Reads the session, lets `decide` work out the change, and writes it with its events in one
   * update conditional on the version read. The document lock serialises heartbeats, ends, the
   * idle sweep and the outbox relay of this process (FerretDB would let two conditional updates
   * both win); across instances on MongoDB the version condition does, and a lost race decides
   * again on the fresh state.
   */
  async modify<R>(centerId: string, sessionId: string, decide: (stored: StoredWifiSession | undefined) => SessionWrite<R>): Promise<R> {
    return documentLocks.run(documentKey(this.sessions.collection, sessionId), async () => {
      for (let attempt = 1; ; attempt++) {
        const stored = await this.findAtCenter(centerId, sessionId);
        const { result, write } = decide(stored);
        if (!write || !stored) return result;
        if (await this.update(stored.version, write)) return result;
        if (attempt >= MAX_ATTEMPTS) throw new Error(`Wi-Fi session ${sessionId} kept changing while being updated`);
      }
    });
  }

  private async update(version: number, write: NonNullable<SessionWrite<unknown>['write']>): Promise<boolean> {
    const { session } = write;
    const outbox = write.events.length > 0 ? pushToOutbox(write.events) : undefined;
    const set: Record<string, unknown> = { status: session.status, lastActivityAt: lastActivityOf(session), ...outbox?.$set };
    for (const field of ['lastHeartbeatAt', 'endedAt', 'endedBy', 'durationMinutes'] as const) {
      if (session[field] !== undefined) set[field] = session[field];
    }
    if (write.endOperationId) set.endOperationId = write.endOperationId;
    const result = await this.sessions
      .updateOne(
        { _id: session.sessionId, centerId: session.centerId, version },
        { $set: set, $inc: { version: 1 }, ...(outbox ? { $push: outbox.$push } : {}) },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /** Sessions in progress at a center, oldest first. */
  async listActive(centerId: string, limit: number): Promise<WifiSession[]> {
    const docs = await this.sessions
      .find({ centerId, status: 'ACTIVE' }, WITHOUT_OUTBOX)
      .sort({ startedAt: 1 })
      .limit(limit)
      .lean<WifiSessionDocument[]>()
      .exec();
    return docs.map(toSession);
  }

  /** Every session a center started on a service date. */
  async listOfDay(centerId: string, serviceDate: string, limit: number): Promise<WifiSession[]> {
    const docs = await this.sessions.find({ centerId, serviceDate }, WITHOUT_OUTBOX).limit(limit).lean<WifiSessionDocument[]>().exec();
    return docs.map(toSession);
  }

  /** Active sessions (any center) with no sign of life since `cutoff`: candidates for the time-out. */
  async findIdle(cutoff: Date, limit: number): Promise<Array<{ centerId: string; sessionId: string }>> {
    const docs = await this.sessions
      .find({ status: 'ACTIVE', lastActivityAt: { $lte: cutoff } }, { _id: 1, centerId: 1 })
      .sort({ lastActivityAt: 1 })
      .limit(limit)
      .lean<Array<Pick<WifiSessionDocument, '_id' | 'centerId'>>>()
      .exec();
    return docs.map((doc) => ({ centerId: doc.centerId, sessionId: doc._id }));
  }
}
