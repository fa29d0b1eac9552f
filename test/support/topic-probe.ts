import { Consumer, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { CloudEventEnvelope } from '@crc/contracts';
import { eventually } from '@crc/testing';

export interface ProbedMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  headers: Record<string, string>;
  envelope: CloudEventEnvelope<Record<string, any>>;
}

/** Reads topics from the beginning, as an independent consumer would, for assertions on what was published. */
export class TopicProbe {
  readonly messages: ProbedMessage[] = [];
  private readonly seen = new Set<string>();
  private consumer?: Consumer;
  private stopped = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly topics: string[],
  ) {}

  static async start(brokers: string[], topics: string[]): Promise<TopicProbe> {
    const kafka = new Kafka({ brokers, clientId: 'topic-probe', logLevel: logLevel.NOTHING });
    const probe = new TopicProbe(kafka, `probe-${randomUUID()}`, topics);
    await probe.run();
    return probe;
  }

  /** Like any consumer on a busy broker it may crash; it comes back where it left off. */
  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return;
      setTimeout(() => {
        void consumer
          .disconnect()
          .then(() => (this.stopped ? undefined : this.run()))
          .catch(() => undefined);
      }, 500);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const position = `${topic}/${partition}/${message.offset}`;
        if (this.seen.has(position)) return;
        this.seen.add(position);
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        let envelope: CloudEventEnvelope<Record<string, any>>;
        try {
          envelope = JSON.parse(message.value?.toString('utf8') ?? 'null');
        } catch {
          envelope = { data: {} } as CloudEventEnvelope<Record<string, any>>;
        }
        this.messages.push({
          topic,
          partition,
          offset: Number(message.offset),
          timestamp: Number(message.timestamp),
          key: message.key?.toString('utf8') ?? null,
          headers,
          envelope,
        });
      },
    });
  }

  /** Messages about one visit (by CloudEvents subject), in arrival order. */
  about(visitId: string): ProbedMessage[] {
    return this.messages.filter((m) => m.envelope.subject === visitId);
  }

  waitFor(accept: (messages: ProbedMessage[]) => boolean, what: string, timeoutMs = 30_000): Promise<ProbedMessage[]> {
    return eventually(async () => this.messages, accept, { what, timeoutMs });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
  }
}
