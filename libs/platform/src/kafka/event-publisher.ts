import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { CLOUD_EVENTS_CONTENT_TYPE } from '@crc/contracts';
import { LogSink } from '../logging/log-sink';
import { TopicNames } from './topic-names';

/** A serialised event ready for the wire; `topic` is the contract name (the prefix is added here). */
export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * The only way services write to Kafka. Idempotent producer, acks from all in-sync replicas,
 * one request in flight so that messages of one key keep their order across retries.
 * `publish` resolves only once the broker has acknowledged every message.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connecting?: Promise<void>;
  private connected = false;
  private closed = false;

  constructor(
    kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly log: LogSink,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Idempotence needs unbounded retries: while the broker is away, publish waits, it does not fail.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Connects, retrying until the broker answers (or the publisher is closed); callers may go on meanwhile. */
  connect(): Promise<void> {
    this.connecting ??= (async () => {
      for (let attempt = 1; !this.closed; attempt++) {
        try {
          await this.producer.connect();
          this.connected = true;
          return;
        } catch (error) {
          this.log.warn({ attempt, err: error }, 'Kafka producer cannot connect yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
        }
      }
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (!this.connected) await this.connect();
    if (this.closed) throw new Error('the event publisher is closed');
    const byTopic = new Map<string, Message[]>();
    for (const message of messages) {
      const topic = this.topics.physical(message.topic);
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: message.key,
        value: message.value,
        headers: { 'content-type': CLOUD_EVENTS_CONTENT_TYPE, ...message.headers },
      });
      byTopic.set(topic, list);
    }
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
    });
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.producer.disconnect();
    this.connected = false;
  }
}
