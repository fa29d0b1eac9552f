import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { PARTNER_PLANS, PartnerPlan } from '@crc/contracts';

@Schema({ collection: 'eligibility_coverages', versionKey: false })
export class CoverageDocument {
  /** `<rosterPlan>|<memberId>|<productLine>|<coverageStart>`: one span of one member in one roster. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: PARTNER_PLANS }) rosterPlan!: PartnerPlan;
  @Prop({ required: true }) memberId!: string;
  @Prop() cin?: string;
  @Prop({ required: true }) productLine!: string;
  @Prop() planPartner?: string;
  @Prop({ required: true }) coverageStart!: string;
  @Prop() coverageEnd?: string;
  /** The upload that last wrote this span; a full replace removes spans it did not write. */
  @Prop({ required: true }) uploadId!: string;
  @Prop({ required: true }) updatedAt!: Date;
}

export const CoverageSchema = SchemaFactory.createForClass(CoverageDocument);
// Serves attribution: a visitor's id may be the plan's member id ...
CoverageSchema.index({ memberId: 1 });
// ... or the Medi-Cal CIN.
CoverageSchema.index({ cin: 1 });
// Serves a full replace: remove the spans the new upload did not contain.
CoverageSchema.index({ rosterPlan: 1, uploadId: 1 });
