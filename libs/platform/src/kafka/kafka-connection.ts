import { Admin, Kafka } from 'kafkajs';
import { ServiceEnvironment } from '../config/service-environment';
import { ensureTopics } from './topic-admin';
import { TopicNames } from './topic-names';

/** The cluster as this service sees it: the client, the topic namespace and topic settings. */
export class KafkaConnection {
  private admin?: Admin;
  private lastCheck?: { at: number; reachable: Promise<boolean> };

  constructor(
    readonly kafka: Kafka,
    readonly topics: TopicNames,
    private readonly config: ServiceEnvironment,
  ) {}

  /**
   * Whether the broker answers now (within a second). Cached briefly: health checks may be
   * frequent, and kafkajs connections are not.
   */
  isReachable(): Promise<boolean> {
    if (this.lastCheck && Date.now() - this.lastCheck.at < 2000) return this.lastCheck.reachable;
    const check = async () => {
      this.admin ??= this.kafka.admin({ retry: { retries: 0 } });
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          (async () => {
            await this.admin!.connect();
            await this.admin!.describeCluster();
          })(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), 1000);
          }),
        ]);
        return true;
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    };
    this.lastCheck = { at: Date.now(), reachable: check() };
    return this.lastCheck.reachable;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }

  ensureTopics(topics: string[]): Promise<void> {
    return ensureTopics(this.kafka, this.topics, topics, {
      partitions: this.config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: this.config.KAFKA_REPLICATION_FACTOR,
    });
  }
}
