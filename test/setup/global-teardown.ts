import type { RunningInfrastructure } from '../../libs/infra/src';

export default async function globalTeardown(): Promise<void> {
  const infrastructure = (globalThis as Record<string, unknown>).__CRC_INFRASTRUCTURE__ as RunningInfrastructure | undefined;
  await infrastructure?.stop();
}
