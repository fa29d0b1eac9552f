export { startInfrastructure } from './infrastructure';
export type { InfrastructureOptions, InfrastructureSource, KafkaControl, RunningInfrastructure } from './infrastructure';
export { ToolchainError } from './toolchain';
