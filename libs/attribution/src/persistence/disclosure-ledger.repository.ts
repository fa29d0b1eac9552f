import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { PartnerPlan } from '@crc/contracts';
import { DisclosureDocument } from './disclosure.schema';

export type Disclosure = Omit<DisclosureDocument, '_id' | 'at'>;

@Injectable()
export class DisclosureLedger {
  constructor(@InjectModel(DisclosureDocument.name) private readonly ledger: Model<DisclosureDocument>) {}

  /** Written before the data leaves: no record, no disclosure. */
  async record(disclosure: Disclosure): Promise<void> {
    await this.ledger.create({ _id: randomUUID(), at: new Date(), ...disclosure });
  }

  async list(plan: PartnerPlan, from: Date, to: Date, limit: number): Promise<DisclosureDocument[]> {
    return this.ledger
      .find({ plan, at: { $gte: from, $lt: to } })
      .sort({ at: 1 })
      .limit(limit)
      .lean<DisclosureDocument[]>()
      .exec();
  }
}
