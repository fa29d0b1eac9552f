import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, isPartnerPlan, PartnerPlan } from '@crc/contracts';

export class UnknownPlanError extends DomainError {
  constructor() {
    super('PLAN.NOT_FOUND', 'No such partner plan; use LA_CARE or BLUE_SHIELD_PROMISE.', 'NOT_FOUND');
  }
}

@Injectable()
export class PartnerPlanPipe implements PipeTransform<string, PartnerPlan> {
  transform(value: string): PartnerPlan {
    if (!isPartnerPlan(value)) throw new UnknownPlanError();
    return value;
  }
}
