import { existsSync, readFileSync } from 'node:fs';
import type { RunningInfrastructure } from '../../libs/infra/src';
import { scanForPhi } from '../../libs/testing/src/phi-scan';

/** Stops the infrastructure, then fails the run if any service logged PHI during it. */
export default async function globalTeardown(): Promise<void> {
  const infrastructure = (globalThis as Record<string, unknown>).__CRC_INFRASTRUCTURE__ as RunningInfrastructure | undefined;
  await infrastructure?.stop();
  const logFile = process.env.E2E_LOG_FILE;
  if (!logFile || !existsSync(logFile)) return;
  const log = readFileSync(logFile, 'utf8');
  const found = scanForPhi(log);
  process.stderr.write(`\nPHI scan of ${log.split('\n').length - 1} service log lines (${logFile}): ${found.length === 0 ? 'clean' : 'FOUND'}\n`);
  if (found.length > 0) throw new Error(`PHI in service logs: ${found.map((f) => `${f.count} × ${f.what}`).join(', ')} (see ${logFile})`);
}
