import { DynamicModule, Module } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { EventDefinition } from '@crc/contracts';
import { AuthModule } from './auth/auth.module';
import { CentersModule } from './centers/centers.module';
import { ServiceConfigModule } from './config/config.module';
import { Environment } from './config/environment';
import { ServiceEnvironment } from './config/service-environment';
import { HealthModule } from './health/health.module';
import { KafkaModule } from './kafka/kafka.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { MongoModule } from './mongo/mongo.module';
import { TracingModule } from './tracing/tracing.module';

/**
 * Everything a service stands on, in one import: validated settings, the logger, reference data,
 * authentication, the store, Kafka, `/health`, `/metrics` and tracing.
 */
@Module({})
export class PlatformModule {
  static forService<T extends ServiceEnvironment>(
    environment: ClassConstructor<T>,
    env: Environment,
    kafka: { produces: EventDefinition<object>[] },
  ): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ServiceConfigModule.forRoot(environment, env),
        LoggingModule,
        MetricsModule,
        TracingModule,
        CentersModule,
        AuthModule,
        MongoModule,
        KafkaModule.forRoot(kafka),
        HealthModule,
      ],
    };
  }
}
