import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { ServiceEnvironment } from '../config/service-environment';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyKeyReusedError, InvalidIdempotencyKeyError, operationIdFor } from './idempotency-key';
import { InsertBatcher, REQUEST_INSERT_WAIT_MS } from '../mongo/insert-batcher';
import { IdempotencyRecordDocument } from './idempotency-record.schema';

export interface OperationResult<T> {
  status: number;
  body: T;
  /** The operation found its own earlier effect (a resumed attempt after a crash). */
  alreadyDone?: boolean;
}

export interface IdempotentOutcome<T> extends OperationResult<T> {
  operationId: string;
  /** The result of an earlier request with the same key; nothing new happened. */
  replayed: boolean;
}

export interface IdempotentRequest {
  scope: string;
  key?: string;
  fingerprint: string;
  /**
   * The operation's own write is unique by the operation id and keeps the fingerprint (KEY_REUSED
   * otherwise), as a check-in's visit does, and finds its earlier result itself: then that write is
   * the key's record and no other is kept. A retry (or a retry after a crash) runs the operation
   * again under the same id, and it finds its document. On the hottest path this saves a write per
   * request, and the key never expires: the visit keeps its fingerprint.
   */
  operationGuardsKey?: boolean;
}

/**
 * Makes a write safe to retry. The first request with a key records it, runs the operation
 * under an id derived from the key, and stores the result; a retry with the same key and the
 * same request gets that result back; with a different request, IDEMPOTENCY.KEY_REUSED.
 * Crash-safe without transactions: the operation id is the same on every attempt, so an attempt
 * that resumes after a crash finds what the first one wrote. Failed operations are forgotten, so
 * the kiosk can retry them. Keys expire after the retention period, by a sweep.
 */
@Injectable()
export class IdempotencyStore implements OnApplicationBootstrap, OnModuleDestroy {
  private sweepTimer?: NodeJS.Timeout;
  private readonly inserts: InsertBatcher<IdempotencyRecordDocument>;

  constructor(
    @InjectModel(IdempotencyRecordDocument.name) private readonly records: Model<IdempotencyRecordDocument>,
    private readonly config: ServiceEnvironment,
    private readonly log: PinoLogger,
  ) {
    log.setContext('IdempotencyStore');
    // A request waits on these: one that waited too long for its turn is refused (see REQUEST_INSERT_WAIT_MS).
    this.inserts = new InsertBatcher(records.collection as never, { maxQueueWaitMs: REQUEST_INSERT_WAIT_MS });
  }

  async execute<T>(request: IdempotentRequest, operation: (operationId: string) => Promise<OperationResult<T>>): Promise<IdempotentOutcome<T>> {
    if (request.key === undefined) {
      const operationId = randomUUID();
      return { ...(await operation(operationId)), operationId, replayed: false };
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(request.key)) throw new InvalidIdempotencyKeyError();
    const operationId = operationIdFor(request.scope, request.key);
    if (request.operationGuardsKey) {
      const result = await operation(operationId);
      return { ...result, operationId, replayed: result.alreadyDone === true };
    }
    const earlier = await this.begin(operationId, request);
    if (earlier?.state === 'COMPLETED' && earlier.response) {
      return { status: earlier.response.status, body: earlier.response.body as T, operationId, replayed: true };
    }
    let result: OperationResult<T>;
    try {
      result = await operation(operationId);
    } catch (error) {
      // Nothing happened: let the caller try again with the same key.
      await this.records.deleteOne({ _id: operationId, state: 'STARTED' }).exec();
      throw error;
    }
    await this.records
      .updateOne({ _id: operationId, state: 'STARTED' }, { $set: { state: 'COMPLETED', response: { status: result.status, body: result.body } } })
      .exec();
    return { ...result, operationId, replayed: result.alreadyDone === true };
  }

  /** Records the key; returns the earlier record when the key is known (and the request matches). */
  private async begin(operationId: string, request: IdempotentRequest): Promise<IdempotencyRecordDocument | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = new Date();
      // Keys arriving together share one commit.
      const recorded = await this.inserts.insert({
        _id: operationId,
        scope: request.scope,
        fingerprint: request.fingerprint,
        state: 'STARTED',
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.IDEMPOTENCY_KEY_RETENTION_SECONDS * 1000),
      });
      if (recorded === 'inserted') return undefined;
      const existing = await this.records.findById(operationId).lean<IdempotencyRecordDocument>().exec();
      if (!existing) continue; // swept or forgotten meanwhile: record it afresh
      if (existing.fingerprint !== request.fingerprint) throw new IdempotencyKeyReusedError();
      // COMPLETED: replay. STARTED: an attempt crashed or is running; resume under the same id.
      return existing;
    }
    throw new Error('idempotency key kept disappearing while being recorded');
  }

  /** Removes expired keys; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const result = await this.records.deleteMany({ expiresAt: { $lt: now } }).exec();
    return result.deletedCount;
  }

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => {
      this.sweep().then(
        (removed) => removed > 0 && this.log.info({ removed }, 'expired idempotency keys removed'),
        (error: unknown) => this.log.warn({ err: error }, 'idempotency sweep failed; will retry'),
      );
    }, this.config.IDEMPOTENCY_SWEEP_INTERVAL_SECONDS * 1000);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }
}
