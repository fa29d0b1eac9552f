import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { RosterOperation } from '../x12/member-loop';
import { X12StagedBatchDocument } from './x12-staged-batch.schema';

@Injectable()
export class X12StagedBatchRepository {
  constructor(@InjectModel(X12StagedBatchDocument.name) private readonly batches: Model<X12StagedBatchDocument>) {}

  async stage(uploadId: string, batch: number, operations: RosterOperation[]): Promise<void> {
    await this.batches.create({ _id: `${uploadId}:${batch}`, uploadId, operations, createdAt: new Date() });
  }

  async read(uploadId: string, batch: number): Promise<RosterOperation[] | undefined> {
    const doc = await this.batches.findById(`${uploadId}:${batch}`).lean<X12StagedBatchDocument>().exec();
    return doc?.operations;
  }

  async discard(uploadId: string): Promise<void> {
    await this.batches.deleteMany({ uploadId }).exec();
  }

  /** Batches of uploads that stopped half-way (the process died) are not kept. */
  async discardOlderThan(when: Date): Promise<void> {
    await this.batches.deleteMany({ createdAt: { $lt: when } }).exec();
  }
}
