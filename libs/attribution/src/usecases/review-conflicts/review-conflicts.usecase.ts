import { Injectable } from '@nestjs/common';
import { AttributionConflictView, DomainError, isPartnerPlan, PARTNER_PLANS } from '@crc/contracts';
import { CONFLICT_STATUSES, ConflictStatus } from '../../domain/conflict-status';
import { AttributionConflictRepository, StoredConflict } from '../../persistence/attribution-conflict.repository';
import { VisitRecordRepository } from '../../persistence/visit-record.repository';
import { AttributeVisitUseCase } from '../attribute-visit/attribute-visit.usecase';

export class ConflictNotFoundError extends DomainError {
  constructor() {
    super('CONFLICT.NOT_FOUND', 'No attribution conflict for this visit.', 'NOT_FOUND');
  }
}

export class ConflictClearedError extends DomainError {
  constructor() {
    super('CONFLICT.ALREADY_CLEARED', 'The conflict is gone: one plan no longer covers the visitor on that date. Nothing to resolve.', 'CONFLICT');
  }
}

export class InvalidConflictPlanError extends DomainError {
  constructor() {
    super('CONFLICT.INVALID_PLAN', `plan must be one of the two plans in conflict: ${PARTNER_PLANS.join(' or ')}.`, 'INVALID');
  }
}

export class InvalidConflictStatusError extends DomainError {
  constructor() {
    super('CONFLICT.INVALID_STATUS', `status must be ${CONFLICT_STATUSES.join(', ')} or ALL.`, 'INVALID');
  }
}

export interface ResolveConflictCommand {
  visitId: string;
  plan: string;
  reason: string;
  /** The operations credential. */
  resolvedBy: string;
}

function toView(doc: StoredConflict): AttributionConflictView {
  return {
    visitId: doc._id,
    centerId: doc.centerId,
    serviceDate: doc.serviceDate,
    status: doc.status,
    plans: PARTNER_PLANS.map((plan) => ({ plan, productLine: doc.productLines[plan] })),
    currentPlan: doc.currentPlan,
    since: doc.since.toISOString(),
    ...(doc.resolution
      ? {
          resolution: {
            plan: doc.resolution.plan,
            reason: doc.resolution.reason,
            resolvedBy: doc.resolution.resolvedBy,
            resolvedAt: doc.resolution.resolvedAt.toISOString(),
          },
        }
      : {}),
    ...(doc.resolvedByPrecedence ? { resolvedByPrecedence: doc.resolvedByPrecedence } : {}),
  };
}

/**
 * The operations review queue of rule 2: visits both plans' rosters claim. Operations see visits
 * (center, date, the two plans and product lines), never who the visitor is. Resolving one records
 * the choice and attributes the visit again at once: a new revision, which the feeds show as a
 * correction (the plan that loses the visit gets its record voided).
 */
@Injectable()
export class ReviewConflictsUseCase {
  constructor(
    private readonly conflicts: AttributionConflictRepository,
    private readonly visits: VisitRecordRepository,
    private readonly attributeVisit: AttributeVisitUseCase,
  ) {}

  async list(status: string | undefined, limit: number): Promise<AttributionConflictView[]> {
    const wanted = (status ?? 'WAITING').toUpperCase();
    if (wanted !== 'ALL' && !(CONFLICT_STATUSES as readonly string[]).includes(wanted)) throw new InvalidConflictStatusError();
    return (await this.conflicts.list(wanted === 'ALL' ? undefined : (wanted as ConflictStatus), limit)).map(toView);
  }

  async resolve(command: ResolveConflictCommand): Promise<AttributionConflictView> {
    const plan = command.plan.trim().toUpperCase();
    if (!isPartnerPlan(plan)) throw new InvalidConflictPlanError();
    const existing = await this.conflicts.get(command.visitId);
    if (!existing) throw new ConflictNotFoundError();
    if (existing.status === 'CLEARED') throw new ConflictClearedError();
    if (!(await this.conflicts.resolve(command.visitId, { plan, reason: command.reason.trim(), resolvedBy: command.resolvedBy }))) {
      throw new ConflictClearedError();
    }
    await this.attributeVisit.executeMany(await this.visits.getMany([command.visitId]));
    const resolved = await this.conflicts.get(command.visitId);
    return toView(resolved!);
  }
}
