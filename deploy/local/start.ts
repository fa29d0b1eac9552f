/**
 * `npm start`: the whole system on one machine. Brings up the broker and the store (see
 * libs/infra for how they are found or started), the four services, and the seed data; prints
 * where everything listens; Ctrl-C stops it all, services first.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { HeapLimitedService, RunningInfrastructure, serviceNodeOptions, startInfrastructure } from '../../libs/infra/src';
import { seedRosters } from './seed-rosters';

const ROOT = join(__dirname, '..', '..', '..');

const SERVICES: Array<{ name: HeapLimitedService; port: number }> = [
  { name: 'checkin', port: Number(process.env.CHECKIN_PORT ?? 3001) },
  { name: 'membership', port: Number(process.env.MEMBERSHIP_PORT ?? 3002) },
  { name: 'telehealth', port: Number(process.env.TELEHEALTH_PORT ?? 3003) },
  { name: 'reporting', port: Number(process.env.REPORTING_PORT ?? 3004) },
];

const say = (line: string) => process.stdout.write(`${line}\n`);

/** Healthy: the store and Kafka answer, and reporting's consumer has joined its group and caught up. */
async function waitForHealth(name: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become healthy on port ${port} within 90 s`);
}

async function main(): Promise<void> {
  say('Starting the CRC network (Ctrl-C stops everything)');
  const infrastructure: RunningInfrastructure = await startInfrastructure({ purpose: 'start', log: (line) => say(`  ${line}`) });
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping services ...');
    await Promise.all(
      [...children.entries()].map(
        ([name, child]) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              say(`  ${name} stopped`);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    say('Stopping infrastructure ...');
    await infrastructure.stop();
    say('Stopped.');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    for (const service of SERVICES) {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', service.name, 'src', 'main.js')], {
        cwd: ROOT,
        env: {
          ...process.env,
          // The development credentials and keys of deploy/local/seed: only a development start takes them.
          NODE_ENV: 'development',
          NODE_OPTIONS: serviceNodeOptions(service.name),
          PORT: String(service.port),
          MONGODB_URI: infrastructure.mongoUri,
          KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.set(service.name, child);
      child.on('exit', (code, signal) => {
        if (!stopping) {
          say(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
          void stopAll(1);
        }
      });
    }
    for (const service of SERVICES) await waitForHealth(service.name, service.port, children.get(service.name)!);
    say('Seeding ...');
    await seedRosters(`http://127.0.0.1:${SERVICES.find((s) => s.name === 'reporting')!.port}`, say);
  } catch (error) {
    say(`Start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
    return;
  }

  say('\nThe CRC network is up:');
  say(`  Kafka      ${infrastructure.kafkaBrokers.join(',')} (${infrastructure.source.kafka})`);
  say(`  store      ${infrastructure.mongoUri} (${infrastructure.source.mongo}${infrastructure.storeBackend ? `, FerretDB on ${infrastructure.storeBackend}` : ''})`);
  for (const service of SERVICES) {
    say(`  ${service.name.padEnd(10)} http://127.0.0.1:${service.port}   (API docs: http://127.0.0.1:${service.port}/docs)`);
  }
  const port = (name: string) => SERVICES.find((s) => s.name === name)!.port;
  say(`  dashboard  http://127.0.0.1:${port('reporting')}/dashboard   (operations token: dev-operations-token)`);
  say('\nTry it (dev tokens are in deploy/local/seed/credentials.json):');
  say(
    `  curl -s -X POST http://127.0.0.1:${port('checkin')}/v1/centers/crc-el-monte/check-ins -H 'Authorization: Bearer dev-kiosk-el-monte-token' -H 'Content-Type: application/json' -d '{"visitor":{"memberId":"LAC100001"},"purposes":["EXERCISE_CLASS"]}'`,
  );
  say(`  curl -s http://127.0.0.1:${port('reporting')}/v1/partners/LA_CARE/utilization -H 'Authorization: Bearer dev-partner-la-care-token'`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
