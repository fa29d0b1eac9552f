import { Global, Module } from '@nestjs/common';
import { ServiceEnvironment } from '../config/service-environment';
import { HttpMetrics } from './http-metrics';
import { KafkaConsumerMetrics } from './kafka-consumer-metrics';
import { MetricsHttpController } from './metrics.http.controller';
import { MetricsRegistry } from './metrics-registry';
import { OutboxMetrics } from './outbox-metrics';

/**
 * Prometheus metrics at `/metrics`: the shared ones (HTTP, outbox backlog, consumer lag and
 * dead letters, process) here; a service adds its own next to its code with `MetricsRegistry`.
 */
@Global()
@Module({
  controllers: [MetricsHttpController],
  providers: [
    {
      provide: MetricsRegistry,
      inject: [ServiceEnvironment],
      useFactory: (config: ServiceEnvironment) => MetricsRegistry.forService(config.serviceName),
    },
    { provide: HttpMetrics, inject: [MetricsRegistry], useFactory: (registry: MetricsRegistry) => new HttpMetrics(registry) },
    { provide: OutboxMetrics, inject: [MetricsRegistry], useFactory: (registry: MetricsRegistry) => new OutboxMetrics(registry) },
    { provide: KafkaConsumerMetrics, inject: [MetricsRegistry], useFactory: (registry: MetricsRegistry) => new KafkaConsumerMetrics(registry) },
  ],
  exports: [MetricsRegistry, HttpMetrics, OutboxMetrics, KafkaConsumerMetrics],
})
export class MetricsModule {}
