import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PinoLogger } from 'nestjs-pino';
import {
  CheckInSyncItem,
  CheckOutSyncItem,
  DomainError,
  flattenValidationErrors,
  KioskSyncItemResult,
  KioskSyncResponse,
  RequestValidationError,
} from '@crc/contracts';
import { operationIdFor } from '@crc/platform';
import { VisitReferenceMissingError } from '../../domain/visit.errors';
import { CheckInVisitorUseCase } from '../check-in-visitor/check-in-visitor.usecase';
import { CheckOutVisitorUseCase } from '../check-out-visitor/check-out-visitor.usecase';

export interface SyncKioskQueueCommand {
  centerId: string;
  kioskCredentialId: string;
  items: unknown[];
}

function readItem(raw: unknown): CheckInSyncItem | CheckOutSyncItem {
  const type = (raw as { type?: unknown })?.type;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (type !== 'CHECK_IN' && type !== 'CHECK_OUT')) {
    throw new RequestValidationError([{ field: 'type', problems: ['must be CHECK_IN or CHECK_OUT'] }], 'The item is not valid.');
  }
  const item: CheckInSyncItem | CheckOutSyncItem = type === 'CHECK_IN' ? plainToInstance(CheckInSyncItem, raw) : plainToInstance(CheckOutSyncItem, raw);
  const errors = validateSync(item, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new RequestValidationError(flattenValidationErrors(errors), 'The item is not valid.');
  return item;
}

/**
 * A kiosk back online sends its queue: each item is validated and applied on its own, in order,
 * through the same use cases as the live API, with the item's key for idempotency. One bad item
 * never blocks the others; a replayed queue changes nothing.
 */
@Injectable()
export class SyncKioskQueueUseCase {
  constructor(
    private readonly checkInVisitor: CheckInVisitorUseCase,
    private readonly checkOutVisitor: CheckOutVisitorUseCase,
    private readonly log: PinoLogger,
  ) {
    log.setContext('SyncKioskQueueUseCase');
  }

  async execute(command: SyncKioskQueueCommand): Promise<KioskSyncResponse> {
    const results: KioskSyncItemResult[] = [];
    for (const [index, raw] of command.items.entries()) {
      const key = (raw as { idempotencyKey?: unknown })?.idempotencyKey;
      const idempotencyKey = typeof key === 'string' && key.length <= 100 ? key : undefined;
      try {
        const item = readItem(raw);
        const outcome =
          item.type === 'CHECK_IN'
            ? await this.checkInVisitor.execute({
                centerId: command.centerId,
                kioskCredentialId: command.kioskCredentialId,
                visitor: item.visitor,
                purposes: item.purposes,
                occurredAt: new Date(item.occurredAt),
                idempotencyKey: item.idempotencyKey,
              })
            : await this.checkOutVisitor.execute({
                centerId: command.centerId,
                kioskCredentialId: command.kioskCredentialId,
                visitId: this.visitIdOf(item, command.kioskCredentialId),
                occurredAt: new Date(item.occurredAt),
                idempotencyKey: item.idempotencyKey,
              });
        results.push({ index, idempotencyKey, outcome: outcome.replayed ? 'DUPLICATE' : 'ACCEPTED', visitId: outcome.body.visitId });
      } catch (error) {
        if (error instanceof DomainError) {
          results.push({
            index,
            idempotencyKey,
            outcome: 'REJECTED',
            error: { code: error.code, message: error.message, details: error.details },
            retryable: false,
          });
        } else {
          this.log.error({ err: error, index }, 'kiosk queue item failed');
          results.push({
            index,
            idempotencyKey,
            outcome: 'REJECTED',
            error: { code: 'SERVER.RETRY_LATER', message: 'The item could not be applied now; send it again later.' },
            retryable: true,
          });
        }
      }
    }
    const count = (outcome: KioskSyncItemResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return { results, summary: { accepted: count('ACCEPTED'), duplicate: count('DUPLICATE'), rejected: count('REJECTED') } };
  }

  /** An offline kiosk knows its check-in only by the key it gave it; the visit id follows from that key. */
  private visitIdOf(item: CheckOutSyncItem, kioskCredentialId: string): string {
    if (item.visitId && !item.checkInIdempotencyKey) return item.visitId;
    if (item.checkInIdempotencyKey && !item.visitId) return operationIdFor(kioskCredentialId, item.checkInIdempotencyKey);
    throw new VisitReferenceMissingError();
  }
}
