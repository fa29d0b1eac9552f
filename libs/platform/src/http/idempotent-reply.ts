import type { ApiHeaderOptions } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply } from 'fastify';
import { IdempotentOutcome } from '../idempotency/idempotency.store';

/** The OpenAPI description of the `Idempotency-Key` header, the same on every write route. */
export const IDEMPOTENCY_KEY_HEADER: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'A unique key per action (a UUID). Sending the same request again with the same key returns the original result (with ' +
    '`Idempotent-Replayed: true`) and changes nothing; the same key with a different request is refused (422 `IDEMPOTENCY.KEY_REUSED`). ' +
    'Keys belong to the calling credential and are kept 7 days (`IDEMPOTENCY_KEY_RETENTION_SECONDS`).',
};

/** Sends an idempotent write's status, marks a replay, and returns the body for Nest to serialise. */
export function replyWithOutcome<T>(response: FastifyReply, outcome: IdempotentOutcome<T>): T {
  void response.status(outcome.status);
  if (outcome.replayed) void response.header('Idempotent-Replayed', 'true');
  return outcome.body;
}

/** The OpenAPI description of the header that marks a replayed answer, on every idempotent write's success. */
export const REPLAYED_RESPONSE_HEADER: HeadersObject = {
  'Idempotent-Replayed': {
    description: '`true` when this answer is the replay of an earlier request with the same `Idempotency-Key` (nothing was changed); absent otherwise.',
    schema: { type: 'string', enum: ['true'] },
  },
};

/** The OpenAPI description of a created resource's headers: where to read it back, and the replay mark. */
export function createdResponseHeaders(what: string): HeadersObject {
  return {
    Location: { description: `The path of the ${what}, to read it back (also on a replay).`, schema: { type: 'string' } },
    ...REPLAYED_RESPONSE_HEADER,
  };
}
