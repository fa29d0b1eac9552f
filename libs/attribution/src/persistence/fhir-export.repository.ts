import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PartnerPlan } from '@crc/contracts';
import { documentKey, StoreProfile } from '@crc/platform';
import { FhirExportDocument } from './fhir-export.schema';

/** A FHIR Bulk Data export as kicked off: a fixed slice of a plan's feed. */
export type FhirExportJob = Pick<FhirExportDocument, '_id' | 'plan' | 'requestedBy' | 'types' | 'afterSeq' | 'throughSeq' | 'request' | 'transactionTime'>;

@Injectable()
export class FhirExportRepository {
  constructor(
    @InjectModel(FhirExportDocument.name) private readonly exports: Model<FhirExportDocument>,
    private readonly store: StoreProfile,
  ) {}

  async insert(job: FhirExportJob): Promise<void> {
    await this.exports.create(job);
  }

  /** The plan's export with this id, unless cancelled (another plan's is not found). */
  async find(plan: PartnerPlan, exportId: string): Promise<FhirExportJob | undefined> {
    return (
      (await this.exports
        .findOne({ _id: exportId, plan, cancelledAt: { $exists: false } })
        .lean<FhirExportDocument>()
        .exec()) ?? undefined
    );
  }

  /**
   * Cancels the plan's export in one conditional write: true if this call cancelled it, false if
   * there was nothing to cancel (unknown, another plan's, or cancelled already, even by a concurrent call).
   */
  async cancel(plan: PartnerPlan, exportId: string, cancelledBy: string, at: Date): Promise<boolean> {
    // On FerretDB two concurrent conditional updates can both match (seen: two of three DELETEs
    // answered 202); StoreProfile serialises them in this process there.
    const result = await this.store.exclusive(documentKey(this.exports.collection, exportId), () =>
      this.exports.updateOne({ _id: exportId, plan, cancelledAt: { $exists: false } }, { $set: { cancelledAt: at, cancelledBy } }).exec(),
    );
    return result.matchedCount === 1;
  }
}
