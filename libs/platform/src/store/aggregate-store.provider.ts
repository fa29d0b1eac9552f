import { InjectionToken, Provider } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { PinoLogger } from 'nestjs-pino';
import { ServiceEnvironment } from '../config/service-environment';
import { EventPublisher } from '../kafka/event-publisher';
import { OutboxMetrics } from '../metrics/outbox-metrics';
import { kafkaOutboxSink, OutboxRelay, OutboxRelayOptions, OutboxSink, publishedEventsCollectionName } from '../outbox/outbox-relay';
import { AggregateStore, AggregateWriter } from './aggregate-store';
import { StoreProfile } from './store-profile';

/** The injection token of the aggregate store of one model (for its repository). */
export const aggregateStoreToken = (modelName: string) => `AggregateStore:${modelName}`;

/**
 * Providers of a model's aggregate store and the outbox relay behind it: the relay starts once the
 * application is up and drains on shutdown. List them in the module that registers the model;
 * its repository injects the store with `aggregateStoreToken`.
 */
export function provideAggregateStore(
  modelName: string,
  options: OutboxRelayOptions & {
    /** A provider of an OutboxSink; Kafka when absent. */
    sink?: InjectionToken;
    revisionField?: string;
    /** Who creates the aggregates (see AggregateStore): requests unless said otherwise. */
    writer?: AggregateWriter;
  } = {},
): Provider[] {
  const token = aggregateStoreToken(modelName);
  const relayToken = `OutboxRelay:${modelName}`;
  const { sink: sinkToken, revisionField, writer, ...relayOptions } = options;
  return [
    {
      provide: relayToken,
      inject: [getModelToken(modelName), EventPublisher, PinoLogger, ServiceEnvironment, OutboxMetrics, StoreProfile, ...(sinkToken ? [sinkToken] : [])],
      useFactory: (
        model: Model<unknown>,
        publisher: EventPublisher,
        log: PinoLogger,
        config: ServiceEnvironment,
        metrics: OutboxMetrics,
        store: StoreProfile,
        sink?: OutboxSink,
      ) => {
        log.setContext(relayToken);
        const published = model.db.collection(publishedEventsCollectionName(model.collection.collectionName));
        const relay = new OutboxRelay(model.collection as never, published as never, sink ?? kafkaOutboxSink(publisher), log, {
          sweepIntervalMs: config.OUTBOX_SWEEP_SECONDS * 1000,
          exclusive: (keys, work) => store.exclusive(keys, work),
          byKeys: store,
          ...relayOptions,
        });
        metrics.track(model.collection.collectionName, relay);
        // The driver clears its pool when the store drops connections; see storeInterrupted.
        model.db.getClient().on('connectionPoolCleared', () => relay.storeInterrupted());
        return relay;
      },
    },
    {
      provide: token,
      inject: [getModelToken(modelName), relayToken, StoreProfile],
      useFactory: (model: Model<unknown>, relay: OutboxRelay, store: StoreProfile) =>
        new AggregateStore(model.collection as never, relay, store, revisionField, writer),
    },
    {
      provide: `${relayToken}:lifecycle`,
      inject: [relayToken],
      // Nest calls these hooks on any provider instance that has them.
      useFactory: (relay: OutboxRelay) => ({
        onApplicationBootstrap: () => relay.start(),
        onModuleDestroy: () => relay.stop(),
      }),
    },
  ];
}
