import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyRecordDocument, IdempotencyRecordSchema } from './idempotency-record.schema';
import { IdempotencyStore } from './idempotency.store';

/** Import into a bounded context whose writes accept an `Idempotency-Key`. */
@Module({
  imports: [MongooseModule.forFeature([{ name: IdempotencyRecordDocument.name, schema: IdempotencyRecordSchema }])],
  providers: [IdempotencyStore],
  exports: [IdempotencyStore],
})
export class IdempotencyModule {}
