export { startInfrastructure } from './infrastructure';
export type { InfrastructureOptions, InfrastructureSource, RunningInfrastructure } from './infrastructure';
export { ToolchainError } from './toolchain';
