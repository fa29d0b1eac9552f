import { FactoryProvider, InjectionToken, OnModuleDestroy } from '@nestjs/common';
import { ConsumerGroupOptions, ConsumerGroupSubscription, KafkaBatchTransport } from './kafka-batch.transport';

/**
 * Declares, in the module that owns the handlers, a consumer group the service reads with (its
 * options usually come from the configuration, hence a factory). Its `@EventPattern` handlers
 * sit in that module's message controller. At shutdown the group stops with its module, which
 * Nest destroys before the modules it imports: the chunk in progress finishes and commits while
 * the store and the outbox relay are still there.
 */
export function consumerGroup(declaration: { inject?: InjectionToken[]; useFactory: (...deps: never[]) => ConsumerGroupOptions }): FactoryProvider {
  return {
    provide: Symbol('consumer group'),
    inject: [KafkaBatchTransport, ...(declaration.inject ?? [])],
    useFactory: (transport: KafkaBatchTransport, ...deps: never[]): ConsumerGroupSubscription & OnModuleDestroy => {
      const subscription = transport.declare(declaration.useFactory(...deps));
      return { groupId: subscription.groupId, stop: () => subscription.stop(), onModuleDestroy: () => subscription.stop() };
    },
  };
}
