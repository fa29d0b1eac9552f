import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { CloudEventEnvelope, EventDefinition, parseEvent } from '@crc/contracts';
import { LogSink } from '../logging/log-sink';
import { EventPublisher, OutgoingMessage } from './event-publisher';
import { deadLetterTopic, TopicNames } from './topic-names';

export interface ConsumedEvent<TPayload extends object = object> {
  definition: EventDefinition<TPayload>;
  envelope: CloudEventEnvelope<TPayload>;
  partition: number;
  offset: string;
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
      // A crashed instance's partitions move after 10 s, not the default 30.
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
      // Restarts are ours (restartLater): kafkajs restarts only after some errors, and its own
      // restart can stall; a fresh consumer every time is predictable.
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000, restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    // Whatever made it crash (a broker away, a coordinator still loading, a store error in the
    // handler), the consumer comes back.
    consumer.on(consumer.events.CRASH, ({ payload }) => this.restartLater(payload.error));
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
        for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(start, start + this.chunkSize);
          const { valid, dead } = this.read(topic, batch.partition, chunk);
          if (dead.length > 0) await this.publisher.publish(dead);
          if (valid.length > 0) await this.options.handle(valid);
          resolveOffset(chunk[chunk.length - 1].offset);
          this.options.onChunkDone?.({ topic, partition: batch.partition, offset: chunk[chunk.length - 1].offset, messages: chunk.length });
          await commitOffsetsIfNecessary();
          await heartbeat();
          this.crashes = 0;
        }
      },
    });
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
        valid.push({ definition, envelope, partition, offset: message.offset });
      } catch (error) {
        // JSON.parse quotes the input in its message, and the input may be PHI.
        const reason =
          error instanceof SyntaxError
            ? 'value is not valid JSON'
            : error instanceof Error
              ? error.message
              : 'unreadable event';
        this.log.warn({ topic, partition, offset: message.offset, reason }, 'event sent to the dead-letter topic');
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

  /** Lets the chunk in progress finish and commit, then leaves the group. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.consumer?.disconnect();
  }
}
