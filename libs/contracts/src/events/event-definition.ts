import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { CloudEventEnvelope } from '../envelope/cloud-event.envelope';

/**
 * One event type at one version: its topic, its payload class and how it is keyed.
 * A published definition is never edited; a breaking change is a new version with a new topic.
 */
export interface EventDefinition<TPayload extends object> {
  /** `crc.<service>.<event>.v<version>`; also the CloudEvents `type`. */
  readonly topic: string;
  readonly service: string;
  readonly name: string;
  readonly version: number;
  readonly payload: ClassConstructor<TPayload>;
  /** All events of one visit share this key, so they land on one partition, in order. */
  partitionKey(data: TPayload): string;
  subject(data: TPayload): string;
}

export function defineEvent<TPayload extends object>(spec: {
  service: string;
  name: string;
  version: number;
  payload: ClassConstructor<TPayload>;
  partitionKey: (data: TPayload) => string;
  subject?: (data: TPayload) => string;
}): EventDefinition<TPayload> {
  return {
    topic: `crc.${spec.service}.${spec.name}.v${spec.version}`,
    service: spec.service,
    name: spec.name,
    version: spec.version,
    payload: spec.payload,
    partitionKey: spec.partitionKey,
    subject: spec.subject ?? spec.partitionKey,
  };
}

export interface FieldError {
  field: string;
  problems: string[];
}

export class EventValidationError extends Error {
  constructor(
    readonly topic: string,
    readonly errors: FieldError[],
  ) {
    super(`invalid ${topic} event: ${errors.map((e) => `${e.field} (${e.problems.join('; ')})`).join(', ')}`);
  }
}

/** Flattens class-validator's nested errors into `a.b[0].c`-style field paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function validated<T extends object>(cls: ClassConstructor<T>, plain: unknown, topic: string, strict: boolean): T {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new EventValidationError(topic, [{ field: '', problems: ['must be a JSON object'] }]);
  }
  const instance = plainToInstance(cls, plain);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: strict });
  if (errors.length > 0) throw new EventValidationError(topic, flattenValidationErrors(errors));
  return instance;
}

/**
 * Builds a validated envelope. Producers are strict: an unknown field is a bug on our side.
 */
export function createEvent<TPayload extends object>(
  definition: EventDefinition<TPayload>,
  data: TPayload,
  options: { source: string; time?: Date; id?: string },
): CloudEventEnvelope<TPayload> {
  const payload = validated(definition.payload, data, definition.topic, true);
  const envelope: CloudEventEnvelope<TPayload> = {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: options.source,
    type: definition.topic,
    time: (options.time ?? new Date()).toISOString(),
    subject: definition.subject(payload),
    datacontenttype: 'application/json',
    data: JSON.parse(JSON.stringify(data)) as TPayload,
  };
  validated(CloudEventEnvelope, envelope, definition.topic, true);
  return envelope;
}

/**
 * Reads an envelope from the wire. Consumers are tolerant readers: unknown fields are dropped,
 * missing or malformed ones are an error (and the event goes to the dead-letter topic).
 */
export function parseEvent<TPayload extends object>(definition: EventDefinition<TPayload>, plain: unknown): CloudEventEnvelope<TPayload> {
  const envelope = validated(CloudEventEnvelope, plain, definition.topic, false);
  if (envelope.type !== definition.topic) {
    throw new EventValidationError(definition.topic, [{ field: 'type', problems: [`expected ${definition.topic}, got ${envelope.type}`] }]);
  }
  const data = validated(definition.payload, (plain as { data: unknown }).data, definition.topic, false);
  return { ...envelope, data };
}
