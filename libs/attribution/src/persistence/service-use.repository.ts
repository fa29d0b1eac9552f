import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { HelpRequestedV1, HelpResolvedV1, HelpStatusChangedV1, WifiSessionEndedV1, WifiSessionStartedV1 } from '@crc/contracts';
import { documentKey, documentLocks } from '@crc/platform';
import { HelpCaseRecordDocument, WifiSessionRecordDocument } from './service-use.schema';

const DUPLICATE_KEY = 11000;

/** Help cases and Wi-Fi sessions, applied once per event id, converging whatever the order. */
@Injectable()
export class ServiceUseRepository {
  constructor(
    @InjectModel(HelpCaseRecordDocument.name) private readonly cases: Model<HelpCaseRecordDocument>,
    @InjectModel(WifiSessionRecordDocument.name) private readonly sessions: Model<WifiSessionRecordDocument>,
  ) {}

  private async applyOnce(model: Model<any>, id: string, eventId: string, set: Record<string, unknown>, setOnInsert: Record<string, unknown>): Promise<void> {
    try {
      await documentLocks.run(documentKey(model.collection, id), () =>
        model
          .updateOne(
            { _id: id, appliedEventIds: { $ne: eventId } },
            { ...(Object.keys(set).length ? { $set: set } : {}), $setOnInsert: setOnInsert, $addToSet: { appliedEventIds: eventId } },
            { upsert: true },
          )
          .exec(),
      );
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
  }

  helpRequested(eventId: string, d: HelpRequestedV1): Promise<void> {
    return this.applyOnce(
      this.cases,
      d.caseId,
      eventId,
      { caseType: d.caseType, openedAt: new Date(d.occurredAt), centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
      {},
    );
  }

  helpStatusChanged(eventId: string, d: HelpStatusChangedV1): Promise<void> {
    // Only establishes the case if its other events have not arrived yet; status itself is not needed downstream.
    return this.applyOnce(this.cases, d.caseId, eventId, { caseType: d.caseType }, { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) });
  }

  helpResolved(eventId: string, d: HelpResolvedV1): Promise<void> {
    return this.applyOnce(
      this.cases,
      d.caseId,
      eventId,
      { caseType: d.caseType, closedAt: new Date(d.occurredAt), outcome: d.outcome, minutesSpent: d.minutesSpent, openedAt: new Date(d.openedAt) },
      { centerId: d.centerId, serviceDate: d.serviceDate, ...(d.visitId ? { visitId: d.visitId } : {}) },
    );
  }

  wifiStarted(eventId: string, d: WifiSessionStartedV1): Promise<void> {
    return this.applyOnce(this.sessions, d.sessionId, eventId, { startedAt: new Date(d.occurredAt) }, { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate });
  }

  wifiEnded(eventId: string, d: WifiSessionEndedV1): Promise<void> {
    return this.applyOnce(
      this.sessions,
      d.sessionId,
      eventId,
      { startedAt: new Date(d.startedAt), endedAt: new Date(d.occurredAt), durationMinutes: d.durationMinutes, endedBy: d.endedBy },
      { visitId: d.visitId, centerId: d.centerId, serviceDate: d.serviceDate },
    );
  }

  /** What the feeds say of a visit's services besides check-in: its help cases and its Wi-Fi minutes. */
  async servicesOfVisit(visitId: string): Promise<{ membershipHelp: Array<{ caseType: string; outcome?: string; minutes?: number }>; telehealthWifiMinutes: number }> {
    const [cases, sessions] = await Promise.all([
      this.cases.find({ visitId }).sort({ _id: 1 }).lean<HelpCaseRecordDocument[]>().exec(),
      this.sessions.find({ visitId }).lean<WifiSessionRecordDocument[]>().exec(),
    ]);
    return {
      membershipHelp: cases
        .filter((c) => c.caseType)
        .map((c) => ({ caseType: c.caseType!, ...(c.outcome ? { outcome: c.outcome } : {}), ...(c.minutesSpent !== undefined ? { minutes: c.minutesSpent } : {}) })),
      telehealthWifiMinutes: sessions.reduce((n, s) => n + (s.durationMinutes ?? 0), 0),
    };
  }

  helpCasesBetween(from: string, to: string, centerId?: string): Promise<HelpCaseRecordDocument[]> {
    return this.cases.find({ serviceDate: { $gte: from, $lte: to }, ...(centerId ? { centerId } : {}) }).lean<HelpCaseRecordDocument[]>().exec();
  }

  wifiSessionsBetween(from: string, to: string, centerId?: string): Promise<WifiSessionRecordDocument[]> {
    return this.sessions.find({ serviceDate: { $gte: from, $lte: to }, ...(centerId ? { centerId } : {}) }).lean<WifiSessionRecordDocument[]>().exec();
  }

  async removeAll(): Promise<void> {
    await Promise.all([this.cases.deleteMany({}).exec(), this.sessions.deleteMany({}).exec()]);
  }
}
