import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { InsertBatcher } from '@crc/platform';
import { KnownVisit } from '../domain/visit-center';
import { KnownVisitDocument } from './known-visit.schema';

/** The visits this service has seen checked in. Reads by id only (every other read scans on FerretDB). */
@Injectable()
export class KnownVisitRepository {
  private readonly inserts: InsertBatcher<KnownVisitDocument>;

  constructor(@InjectModel(KnownVisitDocument.name) private readonly visits: Model<KnownVisitDocument>) {
    this.inserts = new InsertBatcher(visits.collection as never);
  }

  /** Records visits; one already known (a redelivered check-in) stays as it is. Inserts only: the store's cheap write. */
  async remember(visits: KnownVisit[]): Promise<void> {
    await Promise.all(visits.map((v) => this.inserts.insert({ _id: v.visitId, centerId: v.centerId, serviceDate: v.serviceDate })));
  }

  async find(visitId: string): Promise<KnownVisit | undefined> {
    const doc = await this.visits.findById(visitId).lean<KnownVisitDocument>().exec();
    return doc ? { visitId: doc._id, centerId: doc.centerId, serviceDate: doc.serviceDate } : undefined;
  }

  /** Forgets visits of service dates before `serviceDate`; returns how many. */
  async forgetBefore(serviceDate: string): Promise<number> {
    return (await this.visits.deleteMany({ serviceDate: { $lt: serviceDate } }).exec()).deletedCount;
  }
}
