/**
 * `npm start`: the whole system on one machine. Brings up the broker and the store (see
 * libs/infra for how they are found or started), the four services, and the seed data; prints
 * where everything listens; Ctrl-C stops it all, services first.
 */
import { join } from 'node:path';
import { HeapLimitedService, RunningInfrastructure, ServiceProcess, startInfrastructure } from '../../libs/infra/src';
import { seedRosters } from './seed-rosters';

const ROOT = join(__dirname, '..', '..', '..');

const SERVICES: Array<{ name: HeapLimitedService; port: number }> = [
  { name: 'checkin', port: Number(process.env.CHECKIN_PORT ?? 3001) },
  { name: 'membership', port: Number(process.env.MEMBERSHIP_PORT ?? 3002) },
  { name: 'telehealth', port: Number(process.env.TELEHEALTH_PORT ?? 3003) },
  { name: 'reporting', port: Number(process.env.REPORTING_PORT ?? 3004) },
];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  say('Starting the CRC network (Ctrl-C stops everything)');
  const infrastructure: RunningInfrastructure = await startInfrastructure({ purpose: 'start', log: (line) => say(`  ${line}`) });
  const children = new Map<string, ServiceProcess>();
  let stopping = false;

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    say('\nStopping services ...');
    await Promise.all(
      [...children.entries()].map(async ([name, child]) => {
        if (!child.running) return;
        await child.stop('SIGTERM', 15_000);
        say(`  ${name} stopped`);
      }),
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
      const child = ServiceProcess.start({
        name: service.name,
        script: join(ROOT, 'dist', 'apps', service.name, 'src', 'main.js'),
        cwd: ROOT,
        heapOf: service.name,
        baseEnv: 'inherit',
        env: {
          // The development credentials and keys of deploy/local/seed: only a development start takes them.
          NODE_ENV: 'development',
          PORT: String(service.port),
          MONGODB_URI: infrastructure.mongoUri,
          KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        },
        stdout: 'inherit',
        stderr: 'inherit',
      });
      children.set(service.name, child);
      void child.waitForExit().then(() => {
        if (!stopping) {
          say(`${service.name} exited unexpectedly (${child.exitStatus}); stopping everything`);
          void stopAll(1);
        }
      });
    }
    // Healthy: the store and Kafka answer, and the consumers have joined their groups and caught up.
    for (const service of SERVICES) {
      await children.get(service.name)!.waitForHttp(`http://127.0.0.1:${service.port}/health`, {
        timeoutMs: 90_000,
        intervalMs: 250,
        accept: (status) => status === 200,
        what: `healthy on port ${service.port} within 90 s`,
      });
    }
    say('Seeding ...');
    await seedRosters(`http://127.0.0.1:${SERVICES.find((s) => s.name === 'reporting')!.port}`, say);
  } catch (error) {
    say(`Start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
    return;
  }

  say('\nThe CRC network is up:');
  say(`  Kafka      ${infrastructure.kafkaBrokers.join(',')} (${infrastructure.source.kafka})`);
  say(
    `  store      ${infrastructure.mongoUri} (${infrastructure.source.mongo}${infrastructure.storeBackend ? `, FerretDB on ${infrastructure.storeBackend}` : ''})`,
  );
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
