export { startInfrastructure } from './infrastructure';
export type { InfrastructureOptions, InfrastructureSource, KafkaControl, ProcessControl, RunningInfrastructure } from './infrastructure';
export { ToolchainError } from './toolchain';
export { SERVICE_HEAP_MB, serviceNodeOptions } from './service-heap';
export type { HeapLimitedService } from './service-heap';
export { parseStoreBackend, STORE_BACKENDS, STORE_BACKEND_ENV_VAR } from './store-backend';
export type { StoreBackend } from './store-backend';
export { httpStatus, ServiceProcess } from './service-process';
export type { HttpWaitOptions, ProcessOutput, ServiceProcessOptions } from './service-process';
