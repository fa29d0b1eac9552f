import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { EventDefinition } from '@crc/contracts';
import { ServiceEnvironment } from '../config/service-environment';
import { createKafka, kafkaSecurity } from './kafka-factory';
import { EventPublisher } from './event-publisher';
import { KafkaBatchTransport } from './kafka-batch.transport';
import { KafkaConnection } from './kafka-connection';
import { TopicNames } from './topic-names';

const PRODUCED_TOPICS = Symbol('PRODUCED_TOPICS');

/**
 * Creates the produced topics and connects the publisher in the background, so a service starts
 * (and keeps taking check-ins into its outbox) while the broker is away.
 */
@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private ready?: Promise<void>;
  private closed = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    @Inject(PRODUCED_TOPICS) private readonly produced: string[],
    private readonly log: PinoLogger,
  ) {
    log.setContext('Kafka');
  }

  onApplicationBootstrap(): void {
    this.ready = (async () => {
      for (let attempt = 1; !this.closed; attempt++) {
        try {
          await this.connection.ensureTopics(this.produced);
          break;
        } catch (error) {
          this.log.warn({ attempt, err: error }, 'cannot create topics yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * attempt)));
        }
      }
      if (!this.closed) await this.publisher.connect();
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.publisher.disconnect();
    await this.ready;
    await this.connection.close();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(options: { produces: EventDefinition<object>[] }): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          provide: KafkaConnection,
          inject: [ServiceEnvironment, PinoLogger],
          useFactory: (config: ServiceEnvironment, log: PinoLogger) => {
            log.setContext('kafkajs');
            const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.serviceName, ...kafkaSecurity(config) }, log);
            return new KafkaConnection(kafka, new TopicNames(config.KAFKA_TOPIC_PREFIX), config);
          },
        },
        {
          provide: EventPublisher,
          inject: [KafkaConnection, PinoLogger],
          useFactory: (connection: KafkaConnection, log: PinoLogger) => {
            log.setContext('EventPublisher');
            return new EventPublisher(connection.kafka, connection.topics, log);
          },
        },
        { provide: PRODUCED_TOPICS, useValue: options.produces.map((d) => d.topic) },
        KafkaLifecycle,
        KafkaBatchTransport,
      ],
      exports: [KafkaConnection, EventPublisher, KafkaBatchTransport],
    };
  }
}
