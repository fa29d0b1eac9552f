import { LogSink } from '../logging/log-sink';
import { EventConsumer } from './event-consumer';
import { KafkaConnection } from './kafka-connection';

/**
 * Starts a consumer in the background, once its topics exist, retrying while the broker is away:
 * a service's HTTP side serves meanwhile. `stop` lets the chunk in progress finish and commit.
 */
export class BackgroundConsumer {
  private starting?: Promise<void>;
  private closed = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly consumer: EventConsumer,
    private readonly topics: string[],
    private readonly log: LogSink,
  ) {}

  start(): void {
    this.starting = (async () => {
      for (let attempt = 1; !this.closed; attempt++) {
        try {
          await this.connection.ensureTopics([...this.topics, this.consumer.deadLetterTopic]);
          if (!this.closed) await this.consumer.start();
          return;
        } catch (error) {
          this.log.warn({ attempt, err: error }, 'event consumer cannot start yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.closed = true;
    await this.starting;
    await this.consumer.stop();
  }
}
