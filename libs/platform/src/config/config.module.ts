import { DynamicModule, Global, Module } from '@nestjs/common';
import { ClassConstructor } from 'class-transformer';
import { Environment, loadEnvironment } from './environment';
import { ServiceEnvironment } from './service-environment';

/**
 * Provides the service's validated settings under both its own class and the shared
 * `ServiceEnvironment` token, so platform modules need not know the concrete class.
 */
@Global()
@Module({})
export class ServiceConfigModule {
  static forRoot<T extends ServiceEnvironment>(cls: ClassConstructor<T>, env: Environment): DynamicModule {
    const config = loadEnvironment(cls, env);
    return {
      module: ServiceConfigModule,
      providers: [
        { provide: cls, useValue: config },
        { provide: ServiceEnvironment, useValue: config },
      ],
      exports: [cls, ServiceEnvironment],
    };
  }
}
