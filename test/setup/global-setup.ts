import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfrastructure } from '../../libs/infra/src';

/** Starts the broker and the store once for all end-to-end files; workers inherit the addresses. */
export default async function globalSetup(): Promise<void> {
  const infrastructure = await startInfrastructure({ purpose: 'test' });
  (globalThis as Record<string, unknown>).__CRC_INFRASTRUCTURE__ = infrastructure;
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers.join(',');
  process.env.MONGODB_URI = infrastructure.mongoUri;
  // Every service's log of the whole run, scanned for PHI by the teardown.
  process.env.E2E_LOG_FILE ??= join(mkdtempSync(join(tmpdir(), 'crc-e2e-logs-')), 'services.log');
  process.stderr.write(
    `\ne2e infrastructure: Kafka ${infrastructure.kafkaBrokers.join(',')} (${infrastructure.source.kafka}), store ${infrastructure.mongoUri} (${infrastructure.source.mongo})\n`,
  );
}
