export { startInfrastructure } from './infrastructure';
export type { InfrastructureOptions, InfrastructureSource, KafkaControl, ProcessControl, RunningInfrastructure } from './infrastructure';
export { ToolchainError } from './toolchain';
