import { Global, Module } from '@nestjs/common';
import { ServiceEnvironment } from '../config/service-environment';
import { flushTracing, setUpTracing } from './tracing';

/** Sets up tracing for the process (once) and flushes buffered spans when the service stops. */
@Global()
@Module({
  providers: [
    {
      provide: 'Tracing',
      inject: [ServiceEnvironment],
      useFactory: (config: ServiceEnvironment) => {
        setUpTracing(config.serviceName);
        // Nest calls this hook on any provider instance that has it.
        return { onApplicationShutdown: () => flushTracing() };
      },
    },
  ],
})
export class TracingModule {}
