import { InjectionToken, Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { ServiceEnvironment } from '../config/service-environment';
import { EventPublisher } from '../kafka/event-publisher';
import { OutboxMetrics } from '../metrics/outbox-metrics';
import { kafkaOutboxSink, OutboxRelay, OutboxRelayOptions, OutboxSink, publishedEventsCollectionName } from './outbox-relay';

/** The injection token of the relay for one collection's outbox. */
export const outboxRelayToken = (modelName: string) => `OutboxRelay:${modelName}`;

/**
 * Providers for a model's outbox relay: the relay itself (inject it with `outboxRelayToken` to
 * `notify` it after a write), started once the application is up and drained on shutdown.
 * List them in the module that registers the model.
 */
export function provideOutboxRelay(
  modelName: string,
  options: OutboxRelayOptions & { /** A provider of an OutboxSink; Kafka when absent. */ sink?: InjectionToken } = {},
): Provider[] {
  const token = outboxRelayToken(modelName);
  return [
    {
      provide: token,
      inject: [getModelToken(modelName), EventPublisher, PinoLogger, ServiceEnvironment, OutboxMetrics, ...(options.sink ? [options.sink] : [])],
      useFactory: (model: Model<unknown>, publisher: EventPublisher, log: PinoLogger, config: ServiceEnvironment, metrics: OutboxMetrics, sink?: OutboxSink) => {
        log.setContext(token);
        const published = model.db.collection(publishedEventsCollectionName(model.collection.collectionName));
        const relay = new OutboxRelay(model.collection as never, published as never, sink ?? kafkaOutboxSink(publisher), log, {
          sweepIntervalMs: config.OUTBOX_SWEEP_SECONDS * 1000,
          ...options,
        });
        metrics.track(model.collection.collectionName, relay);
        // The driver clears its pool when the store drops connections; see storeInterrupted.
        model.db.getClient().on('connectionPoolCleared', () => relay.storeInterrupted());
        return relay;
      },
    },
    {
      provide: `${token}:lifecycle`,
      inject: [token],
      // Nest calls these hooks on any provider instance that has them.
      useFactory: (relay: OutboxRelay) => ({
        onApplicationBootstrap: () => relay.start(),
        onModuleDestroy: () => relay.stop(),
      }),
    },
  ];
}
