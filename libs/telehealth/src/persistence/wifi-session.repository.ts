import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AggregateChange, AggregateStore, aggregateStoreToken, OutboxEntry, WITHOUT_OUTBOX } from '@crc/platform';
import { lastActivityOf, WifiSession } from '../domain/wifi-session';
import { SessionWrite, StoredWifiSession, WifiSessionRepositoryPort } from '../domain/wifi-session.repository.port';
import { WifiSessionDocument } from './wifi-session.schema';

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

/** The fields a decision changes, with its events. */
function changeOf(write: NonNullable<SessionWrite<unknown>['write']>): AggregateChange {
  const { session } = write;
  const set: Record<string, unknown> = { status: session.status, lastActivityAt: lastActivityOf(session) };
  for (const field of ['lastHeartbeatAt', 'endedAt', 'endedBy', 'durationMinutes'] as const) {
    if (session[field] !== undefined) set[field] = session[field];
  }
  if (write.endOperationId) set.endOperationId = write.endOperationId;
  return { set, events: write.events };
}

const toStored = (doc: WifiSessionDocument): StoredWifiSession => ({
  session: toSession(doc),
  version: doc.version ?? 0,
  requestFingerprint: doc.requestFingerprint,
  endOperationId: doc.endOperationId,
});

@Injectable()
export class WifiSessionRepository implements WifiSessionRepositoryPort {
  constructor(
    @InjectModel(WifiSessionDocument.name) private readonly sessions: Model<WifiSessionDocument>,
    @Inject(aggregateStoreToken(WifiSessionDocument.name)) private readonly store: AggregateStore<WifiSessionDocument>,
  ) {}

  /** The session and its `wifi-session-started` event, in one document write; `exists` for a retried request. */
  async insert(session: WifiSession, events: OutboxEntry[], meta: { startedBy: string; requestFingerprint: string }): Promise<'inserted' | 'exists'> {
    return this.store.insert(
      {
        _id: session.sessionId,
        centerId: session.centerId,
        visitId: session.visitId,
        serviceDate: session.serviceDate,
        ...(session.room !== undefined ? { room: session.room } : {}),
        ...(session.deviceHash !== undefined ? { deviceHash: session.deviceHash } : {}),
        status: session.status,
        startedAt: session.startedAt,
        lastActivityAt: lastActivityOf(session),
        startedBy: meta.startedBy,
        requestFingerprint: meta.requestFingerprint,
        version: 0,
      },
      events,
    );
  }

  async findAtCenter(centerId: string, sessionId: string): Promise<StoredWifiSession | undefined> {
    const doc = await this.sessions.findOne({ _id: sessionId, centerId }, WITHOUT_OUTBOX).lean<WifiSessionDocument>().exec();
    return doc ? toStored(doc) : undefined;
  }

  /**
   * Reads the session, lets `decide` work out the change, and writes it with its events in one
   * update conditional on the version read (the aggregate store: heartbeats, ends, the idle sweep
   * and the relay never lose each other's writes; a lost race decides again on the fresh state).
   */
  async modify<R>(centerId: string, sessionId: string, decide: (stored: StoredWifiSession | undefined) => SessionWrite<R>): Promise<R> {
    return this.store.modify(sessionId, { centerId }, (doc) => {
      const { result, write } = decide(doc ? toStored(doc) : undefined);
      return { result, ...(write ? { change: changeOf(write) } : {}) };
    });
  }

  /** Publishes what of the session's events is not out yet (a replayed end that may follow a crash). */
  publishPending(sessionId: string): void {
    this.store.publishPending(sessionId);
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
