import { Injectable } from '@nestjs/common';
import { DisclosureRecord, PartnerPlan } from '@crc/contracts';
import { DisclosureLedger } from '../../persistence/disclosure-ledger.repository';

/** What a plan's compliance staff see: every disclosure of their plan's data over a period. */
@Injectable()
export class ReadDisclosuresUseCase {
  constructor(private readonly ledger: DisclosureLedger) {}

  async execute(plan: PartnerPlan, from: Date, to: Date, limit: number): Promise<DisclosureRecord[]> {
    const entries = await this.ledger.list(plan, from, to, limit);
    return entries.map((e) => ({
      disclosureId: e._id,
      at: e.at.toISOString(),
      plan: e.plan,
      recipient: e.recipient,
      channel: e.channel,
      fields: e.fields,
      containsPhi: e.containsPhi,
      records: e.records,
      range: e.range,
    }));
  }
}
