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
 * Broker answers meaning the producer's idempotence session (its producer id and per-partition
 * sequence numbers) is out of step with the broker. kafkajs rolls its sequence numbers back
 * whenever a send fails, also when the broker had written the batch before the connection
 * dropped (a broker stopping); the next send, a different batch, then starts at a number the
 * broker has already used. kafkajs treats the answer as final and never starts a new session by
 * itself: every later send of that producer failed until the process restarted.
 */
const SESSION_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** Whether an error from a send (or its cause) says the idempotence session must start again. */
export function producerSessionLost(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { type, cause, originalError } = current as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && SESSION_LOST.has(type)) return true;
    current = cause ?? originalError;
  }
  return false;
}

/**
 * The only way services write to Kafka. Idempotent producer, acks from all in-sync replicas,
 * one request in flight so that messages of one key keep their order across retries.
 * `publish` resolves only once the broker has acknowledged every message.
 *
 * When the broker no longer recognises the producer's session, the failed send is reported to
 * the caller (the outbox publishes it again) and the next send goes through a new producer, so a
 * new session. Messages the old session had written may then go out twice; consumers dedupe by
 * event id, as after any redelivery.
 */
export class EventPublisher {
  private producer: Producer;
  private connecting?: Promise<void>;
  private connected = false;
  private closed = false;
  /** Producers replaced because the broker lost their session (exposed for metrics and tests). */
  sessionsRestarted = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: TopicNames,
    private readonly log: LogSink,
  ) {
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Idempotence needs unbounded retries: while the broker is away, publish waits, it does not fail.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (producer === this.producer) this.connected = false;
    });
    return producer;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Connects, retrying until the broker answers (or the publisher is closed); callers may go on meanwhile. */
  connect(): Promise<void> {
    this.connecting ??= (async () => {
      for (let attempt = 1; !this.closed; attempt++) {
        try {
          const producer = this.producer;
          await producer.connect();
          // Replaced while connecting (its session was lost): connect the new one.
          if (producer !== this.producer) continue;
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
    const producer = this.producer;
    try {
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    } catch (error) {
      if (producerSessionLost(error)) this.restartSession(producer, error);
      throw error;
    }
  }

  /** Replaces the producer whose session the broker lost (once, however many sends saw it fail). */
  private restartSession(lost: Producer, error: unknown): void {
    if (lost !== this.producer || this.closed) return;
    this.sessionsRestarted++;
    this.log.warn({ err: error, sessionsRestarted: this.sessionsRestarted }, 'Kafka lost the producer session; the next send uses a new producer');
    this.producer = this.newProducer();
    this.connected = false;
    lost.disconnect().catch((disconnectError: unknown) => this.log.warn({ err: disconnectError }, 'disconnecting the replaced Kafka producer failed'));
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.connecting?.catch(() => undefined);
    await this.producer.disconnect();
    this.connected = false;
  }
}
