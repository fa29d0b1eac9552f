import { Injectable } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { PinoLogger } from 'nestjs-pino';
import { isObservable, lastValueFrom } from 'rxjs';
import { EventDefinition } from '@crc/contracts';
import { ReadinessGates } from '../health/readiness-gates';
import { KafkaConsumerMetrics } from '../metrics/kafka-consumer-metrics';
import { BackgroundConsumer } from './background-consumer';
import { ConsumerCatchUpGate } from './consumer-readiness';
import { ConsumedEvent, EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { KafkaBatchContext } from './kafka-batch.context';
import { KafkaConnection } from './kafka-connection';

/** Identifies this transport, e.g. to bind a handler to it alone: `@EventPattern(topic, KAFKA_BATCH_TRANSPORT)`. */
export const KAFKA_BATCH_TRANSPORT = Symbol('crc-kafka-batch');

/** One consumer group a module reads with; its topics are those of `definitions`. */
export interface ConsumerGroupOptions {
  groupId: string;
  /** Names the dead-letter topic: `crc.<service>.dead-letter.v1`. */
  service: string;
  definitions: EventDefinition<object>[];
  /** Not ready until this group is at most this many events behind (READY_MAX_CONSUMER_LAG). */
  readyMaxConsumerLag: number;
  /** Off: the group is declared (its handlers are known) but nothing is consumed. */
  enabled?: boolean;
}

/** A declared group; `stop` lets the chunk in progress finish and commit, then leaves the group. */
export interface ConsumerGroupSubscription {
  readonly groupId: string;
  stop(): Promise<void>;
}

interface DeclaredGroup {
  options: ConsumerGroupOptions;
  consumer?: EventConsumer;
  background?: BackgroundConsumer;
  stopping?: Promise<void>;
}

/**
 * Nest's microservice transport over the platform's consumer loop (`EventConsumer`): every topic
 * is an `@EventPattern`, and its handler receives one validated chunk of events of one partition
 * (`ConsumedEvent[]`) with a `KafkaBatchContext`, through Nest's guards, interceptors, pipes and
 * exception filters. The loop stays what it was: contract validation, dead letters, chunks, commit
 * after the handler's writes (the handler's promise, or its observable's completion), and its
 * restart after a crash. A handler that fails, or whose observable errors, fails the chunk: it is
 * retried, never committed.
 *
 * Modules declare their groups with `consumerGroup(...)`; `listen` (the app's
 * `startAllMicroservices`) starts them in the background, so the HTTP side serves while the
 * broker is away. Dispatch is once per chunk, never per event: replay speed is the loop's.
 */
@Injectable()
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = KAFKA_BATCH_TRANSPORT;
  private readonly groups = new Map<string, DeclaredGroup>();
  /** The handler of each topic, resolved once at `listen`. */
  private readonly handlerOfTopic = new Map<string, MessageHandler>();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly metrics: KafkaConsumerMetrics,
    private readonly readiness: ReadinessGates,
    private readonly log: PinoLogger,
  ) {
    super();
    log.setContext('KafkaBatchTransport');
  }

  /**
   * Declares a group. When enabled, the service is not ready until the group consumes (it has
   * joined and caught up): right after a start, what it feeds would otherwise lag by the join
   * and the catch-up while the service said ready.
   */
  declare(options: ConsumerGroupOptions): ConsumerGroupSubscription {
    if (this.groups.has(options.groupId)) throw new Error(`consumer group ${options.groupId} is declared twice`);
    const group: DeclaredGroup = { options };
    this.groups.set(options.groupId, group);
    if (options.enabled !== false) {
      const consumer = new EventConsumer(this.connection.kafka, this.connection.topics, this.publisher, this.log, {
        groupId: options.groupId,
        service: options.service,
        definitions: options.definitions,
        handle: (events) => this.dispatch(options.groupId, events),
        metrics: this.metrics,
      });
      group.consumer = consumer;
      this.readiness.register(new ConsumerCatchUpGate(() => consumer.assignedLag(), options.readyMaxConsumerLag));
    }
    return { groupId: options.groupId, stop: () => this.stopGroup(group) };
  }

  /** Checks that every consumed topic has exactly one handler, then starts the enabled groups. */
  listen(callback: (error?: unknown) => void): void {
    try {
      this.resolveHandlers();
    } catch (error) {
      callback(error);
      return;
    }
    for (const group of this.groups.values()) this.startGroup(group);
    callback();
  }

  async close(): Promise<void> {
    await Promise.all([...this.groups.values()].map((group) => this.stopGroup(group)));
  }

  /**
   * Hands one chunk to its topic's handler and settles when the handler's work is done. Public
   * for the consumer loop and for tests of handlers without a broker.
   */
  async dispatch(groupId: string, events: ConsumedEvent[]): Promise<void> {
    const topic = events[0].definition.topic;
    const handler = this.handlerOfTopic.get(topic) ?? this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no @EventPattern handler for topic ${topic}`);
    const result: unknown = await handler(events, new KafkaBatchContext([topic, events[0].partition, groupId]));
    // With interceptors, or from an exception filter, the handler's outcome is an observable.
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no events to listen to: its consumers report through logs, /metrics and /health/ready');
  }

  unwrap<T>(): T {
    return [...this.groups.values()].map((group) => group.consumer).filter(Boolean) as T;
  }

  private resolveHandlers(): void {
    const consumed = new Map<string, string>();
    for (const { options } of this.groups.values()) {
      for (const { topic } of options.definitions) {
        const other = consumed.get(topic);
        if (other) throw new Error(`topic ${topic} is consumed by both ${other} and ${options.groupId}: one group per topic in a service`);
        consumed.set(topic, options.groupId);
        const handler = this.getHandlerByPattern(topic);
        if (!handler) throw new Error(`consumer group ${options.groupId} reads ${topic}, which no @EventPattern handles`);
        this.handlerOfTopic.set(topic, handler);
      }
    }
    for (const pattern of this.getHandlers().keys()) {
      if (!consumed.has(pattern)) throw new Error(`@EventPattern(${pattern}) handles a topic no consumer group reads`);
    }
  }

  private startGroup(group: DeclaredGroup): void {
    if (!group.consumer || group.background || group.stopping) return;
    const topics = group.options.definitions.map((d) => d.topic);
    group.background = new BackgroundConsumer(this.connection, group.consumer, topics, this.log);
    group.background.start();
  }

  private stopGroup(group: DeclaredGroup): Promise<void> {
    group.stopping ??= group.background?.stop() ?? Promise.resolve();
    return group.stopping;
  }
}
