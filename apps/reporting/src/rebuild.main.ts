import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { REPORTING_SERVICE } from './reporting.app.module';
import { progressBar, rebuildProjections } from './rebuild/rebuild-projections';

/**
 * `npm run reporting:rebuild`: drops reporting's visit projection and replays the topics into
 * it, with the same settings (environment) as the reporting service.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(
    REPORTING_SERVICE.rootModule({
      ...process.env,
      REPORTING_CONSUMER_ENABLED: 'false',
      REATTRIBUTION_SWEEP_SECONDS: '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    }),
    { bufferLogs: true },
  );
  try {
    process.stderr.write('Rebuilding reporting projections from the topics ...\n');
    const result = await rebuildProjections(
      app,
      progressBar((text) => process.stderr.write(text), process.stderr.isTTY === true),
    );
    process.stderr.write(
      `\nDone: ${result.events} events replayed in ${result.seconds.toFixed(1)} s (${result.removed} visit records dropped first; ${result.corrections} attributions differed and were corrected).\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
