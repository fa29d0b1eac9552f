import { Context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Admin, Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { CloudEventEnvelope, EventDefinition, parseEvent } from '@crc/contracts';
import { LogSink } from '../logging/log-sink';
import type { KafkaConsumerMetrics } from '../metrics/kafka-consumer-metrics';
import { contextFromTraceparent } from '../tracing/tracing';
import { EventPublisher, OutgoingMessage } from './event-publisher';
import { keepHeartbeating } from './keep-heartbeating';
import { deadLetterTopic, TopicNames } from './topic-names';

export interface ConsumedEvent<TPayload extends object = object> {
  definition: EventDefinition<TPayload>;
  envelope: CloudEventEnvelope<TPayload>;
  partition: number;
  offset: string;
  /** The event's processing span, continuing the producer's `traceparent` header (see `withinTraceOf`). */
  traceContext?: Context;
}

export interface EventConsumerOptions {
  groupId: string;
  /** Names the dead-letter topic: `crc.<service>.dead-letter.v1`. */
  service: string;
  definitions: EventDefinition<object>[];
  /** Must be idempotent: after a crash, events since the last commit are delivered again. */
  handle: (events: ConsumedEvent[]) => Promise<void>;
  /** A new group starts from the oldest retained event, so nothing published before it is missed. */
  fromBeginning?: boolean;
  /** Events handed to `handle` at once; offsets are committed after each such chunk is durable. */
  chunkSize?: number;
  /** Called after each chunk is done (handled or dead-lettered), with the last offset: for progress. */
  onChunkDone?: (position: { topic: string; partition: number; offset: string; messages: number }) => void;
  /** Lag, handled and dead-lettered events, for `/metrics`. */
  metrics?: KafkaConsumerMetrics;
  /**
   * The most one fetch brings (kafkajs: 10 MB, 1 MB a partition, by default), held in memory until
   * handled: a replay from the beginning fills every fetch.
   */
  fetchMaxBytes?: number;
}

const HEARTBEAT_INTERVAL_MS = 1000;

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * The one Kafka consumer loop: validates every event against its contract, sends the ones that
 * fail to the dead-letter topic with the reason, hands the rest to the handler in chunks, and
 * marks offsets only after the handler's writes are durable. Handler errors are retried (the
 * partition waits); they are never skipped.
 */
export class EventConsumer {
  private consumer?: Consumer;
  private readonly byTopic: Map<string, EventDefinition<object>>;
  private readonly chunkSize: number;
  private stopped = false;
  private restartTimer?: NodeJS.Timeout;
  private crashes = 0;
  private readonly tracer = trace.getTracer('crc.event-consumer');
  /** The partitions the group gave this member at its last join (physical topic names); none while out of the group. */
  private assignment?: Record<string, number[]>;
  /** The next offset to handle, per `topic/partition` handled since this process started. */
  private readonly nextOffsets = new Map<string, bigint>();
  private admin?: Admin;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly publisher: EventPublisher,
    private readonly log: LogSink,
    private readonly options: EventConsumerOptions,
  ) {
    this.byTopic = new Map(options.definitions.map((d) => [d.topic, d]));
    this.chunkSize = options.chunkSize ?? 500;
  }

  get deadLetterTopic(): string {
    return deadLetterTopic(this.options.service);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.topics.physical(this.options.groupId),
      // A crashed instance's partitions move after 10 s, not the default 30. A live one keeps its
      // membership through long chunks by heartbeating while it works (keepHeartbeating).
      sessionTimeout: 10000,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: 250,
      ...(this.options.fetchMaxBytes ? { maxBytes: this.options.fetchMaxBytes, maxBytesPerPartition: this.options.fetchMaxBytes } : {}),
      allowAutoTopicCreation: false,
      // Restarts are ours (restartLater): kafkajs restarts only after some errors, and its own
      // restart can stall; a fresh consumer every time is predictable.
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    // Whatever made it crash (a broker away, a coordinator still loading, a store error in the
    // handler), the consumer comes back.
    consumer.on(consumer.events.CRASH, ({ payload }) => this.restartLater(payload.error));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => (this.assignment = payload.memberAssignment));
    for (const left of [consumer.events.REBALANCING, consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT]) {
      consumer.on(left, () => (this.assignment = undefined));
    }
    const { metrics, groupId } = this.options;
    if (metrics) {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        metrics.assigned(groupId, Object.fromEntries(Object.entries(payload.memberAssignment).map(([t, partitions]) => [this.topics.logical(t), partitions]))),
      );
    }
    await consumer.connect();
    await consumer.subscribe({
      topics: [...this.byTopic.keys()].map((t) => this.topics.physical(t)),
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const topic = this.topics.logical(batch.topic);
        const { metrics, groupId } = this.options;
        if (batch.messages.length > 0) metrics?.recordPosition(groupId, topic, batch.partition, batch.highWatermark, batch.firstOffset()!);
        for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + this.chunkSize);
          const { valid, dead } = this.read(topic, batch.partition, chunk);
          if (dead.length > 0) {
            await keepHeartbeating(heartbeat, HEARTBEAT_INTERVAL_MS, () => this.publisher.publish(dead));
            metrics?.sentToDeadLetter(groupId, topic, dead.length);
          }
          if (valid.length > 0) {
            await keepHeartbeating(heartbeat, HEARTBEAT_INTERVAL_MS, () => this.handleTraced(valid));
            metrics?.handled(groupId, topic, valid.length);
          }
          const last = chunk[chunk.length - 1].offset;
          metrics?.recordPosition(groupId, topic, batch.partition, batch.highWatermark, (BigInt(last) + 1n).toString());
          resolveOffset(last);
          this.nextOffsets.set(`${batch.topic}/${batch.partition}`, BigInt(last) + 1n);
          this.options.onChunkDone?.({ topic, partition: batch.partition, offset: chunk[chunk.length - 1].offset, messages: chunk.length });
          await commitOffsetsIfNecessary();
          await heartbeat();
          this.crashes = 0;
        }
      },
    });
  }

  /** Each event is handled inside its own processing span; the spans end when the chunk is durable. */
  private async handleTraced(events: ConsumedEvent[]): Promise<void> {
    const spans = events.map((event) => (event.traceContext ? trace.getSpan(event.traceContext) : undefined)).filter((s): s is Span => !!s);
    try {
      await this.options.handle(events);
    } catch (error) {
      // The error's type only: store errors may quote the values (PHI) they failed on.
      for (const span of spans) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'handler failed' });
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private startProcessSpan(topic: string, partition: number, message: KafkaMessage, eventId: string): Context {
    const parent = contextFromTraceparent(header(message.headers, 'traceparent'));
    const span = this.tracer.startSpan(
      `process ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.message.id': eventId,
          'messaging.consumer.group.name': this.options.groupId,
        },
      },
      parent,
    );
    return trace.setSpan(parent, span);
  }

  private read(topic: string, partition: number, messages: KafkaMessage[]) {
    const definition = this.byTopic.get(topic);
    const valid: ConsumedEvent[] = [];
    const dead: OutgoingMessage[] = [];
    for (const message of messages) {
      try {
        if (!definition) throw new Error(`no contract for topic ${topic}`);
        if (!message.value) throw new Error('empty message');
        const envelope = parseEvent(definition, JSON.parse(message.value.toString('utf8')) as unknown);
        const traceContext = this.startProcessSpan(topic, partition, message, envelope.id);
        valid.push({ definition, envelope, partition, offset: message.offset, traceContext });
      } catch (error) {
        // JSON.parse quotes the input in its message, and the input may be PHI.
        const reason = error instanceof SyntaxError ? 'value is not valid JSON' : error instanceof Error ? error.message : 'unreadable event';
        this.log.warn({ topic, partition, offset: message.offset, reason }, 'event sent to the dead-letter topic');
        const traceparent = header(message.headers, 'traceparent');
        dead.push({
          topic: this.deadLetterTopic,
          key: message.key ? message.key.toString('utf8') : null,
          value: message.value ?? Buffer.alloc(0),
          headers: {
            'content-type': 'application/octet-stream',
            'dlq-reason': reason.slice(0, 1000),
            'dlq-original-topic': topic,
            'dlq-original-partition': String(partition),
            'dlq-original-offset': message.offset,
            'dlq-consumer-group': this.options.groupId,
            'dlq-failed-at': new Date().toISOString(),
            // The trace of the event's producer, so a dead letter can be traced back to its request.
            ...(traceparent ? { traceparent } : {}),
          },
        });
      }
    }
    return { valid, dead };
  }

  private restartLater(error: unknown): void {
    if (this.stopped || this.restartTimer) return;
    this.crashes++;
    const delayMs = Math.min(5_000, 250 * 2 ** Math.min(this.crashes, 5));
    this.log.warn({ err: error, delayMs }, 'event consumer stopped on an error; restarting');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      const previous = this.consumer;
      void (async () => {
        await previous?.disconnect().catch(() => undefined);
        if (this.stopped) return;
        await this.start();
      })().catch((failure: unknown) => this.restartLater(failure));
    }, delayMs);
  }

  /**
   * Events between this member's position and the end of the partitions it was assigned, or
   * undefined while it is not in its group. The position is what this process handled, else the
   * group's committed offset, else where a new group starts (the oldest retained event).
   */
  async assignedLag(): Promise<number | undefined> {
    const assignment = this.assignment;
    if (!assignment) return undefined;
    this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
    await this.admin.connect();
    let lag = 0n;
    for (const [topic, partitions] of Object.entries(assignment)) {
      if (partitions.length === 0) continue;
      const [ends, [committed]] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId: this.topics.physical(this.options.groupId), topics: [topic] }),
      ]);
      for (const partition of partitions) {
        const end = ends.find((e) => e.partition === partition);
        if (!end) continue;
        const commit = committed?.partitions.find((p) => p.partition === partition)?.offset;
        const start = this.options.fromBeginning === false ? BigInt(end.high) : BigInt(end.low);
        const position = this.nextOffsets.get(`${topic}/${partition}`) ?? (commit !== undefined && BigInt(commit) >= 0n ? BigInt(commit) : start);
        if (BigInt(end.high) > position) lag += BigInt(end.high) - position;
      }
    }
    return Number(lag);
  }

  /** Lets the chunk in progress finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.consumer?.disconnect();
    await this.admin?.disconnect().catch(() => undefined);
  }
}
