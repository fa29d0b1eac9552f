import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startInfrastructure } from '@crc/infra';
import { BenchContext, BenchSettings } from './support/bench-context';
import { Progress } from './support/progress';
import { ServiceProcess } from './support/service-process';
import { freshnessScenario } from './scenarios/freshness.scenario';
import { kioskLoadScenario } from './scenarios/kiosk-load.scenario';
import { readSideScenario } from './scenarios/read-side.scenario';
import { replayScenario } from './scenarios/replay.scenario';
import { BenchReport, writeReport } from './support/report';

const SCENARIOS = ['kiosk', 'freshness', 'replay', 'read'] as const;
type Scenario = (typeof SCENARIOS)[number];

const USAGE = `npm run bench -- [options]
  --scenarios kiosk,freshness,replay,read   which to run (default: all)
  --runs 3                 runs per figure; each figure is the median
  --duration 20            seconds of each measured load window (after --warmup 5)
  --connections 16         closed-loop connections of the kiosk load
  --replay-events 1000000  events generated into Kafka for the replay
  --year-visits 1500000    visits in the read side's year
  --roster 20000           members in the generated rosters
  --seed 7                 the generators' seed
  --profile checkin,reporting  write V8 CPU profiles of these services
  --out docs/benchmarks    where results.json, results.md and the chart go`;

function parseArgs(argv: string[]): { settings: BenchSettings; scenarios: Scenario[]; out: string } {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (!arg.startsWith('--') || i + 1 >= argv.length) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    options.set(arg.slice(2), argv[++i]);
  }
  const number = (name: string, fallback: number) => {
    const value = Number(options.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
    return value;
  };
  const scenarios = (options.get('scenarios') ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()) as Scenario[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; choose from ${SCENARIOS.join(', ')}`);
  return {
    scenarios,
    out: options.get('out') ?? 'docs/benchmarks',
    settings: {
      runs: Math.max(1, number('runs', 3)),
      seed: number('seed', 7),
      durationSeconds: number('duration', 20),
      warmupSeconds: number('warmup', 5),
      connections: Math.max(1, number('connections', 16)),
      replayEvents: number('replay-events', 1_000_000),
      yearVisits: number('year-visits', 1_500_000),
      rosterMembers: number('roster', 20_000),
      profile: (options.get('profile') ?? '').split(',').filter(Boolean),
    },
  };
}

function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

async function main(): Promise<void> {
  const { settings, scenarios, out } = parseArgs(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '../..');
  const runDir = path.join(repoRoot, '.benchmarks', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(runDir, { recursive: true });
  const steps = { kiosk: settings.runs, freshness: 3, replay: settings.runs + 1, read: 2 };
  const progress = new Progress(1 + scenarios.reduce((n, s) => n + steps[s], 0));
  const startedAt = new Date();
  const machineInfo = machine();

  progress.note('starting Kafka and FerretDB');
  const infra = await startInfrastructure({
    purpose: 'test',
    dataDir: path.join(runDir, 'infra'),
    log: (line) => fs.appendFileSync(path.join(runDir, 'infra.log'), `${line}\n`),
  });
  const stop = async () => {
    await ServiceProcess.stopAll();
    await infra.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo,
    settings,
    infrastructure: { kafka: infra.source.kafka, store: infra.source.mongo },
  };
  try {
    const ctx = new BenchContext(repoRoot, runDir, infra.kafkaBrokers, infra.mongoUri, settings, progress);
    progress.step('infrastructure up');
    // After each scenario the figures so far are written to the run's directory: a later failure keeps them.
    const keep = () => writeReport({ ...report, broker: ctx.brokerMemory() }, runDir, runDir);
    if (scenarios.includes('kiosk')) {
      report.kiosk = await kioskLoadScenario(ctx);
      keep();
    }
    if (scenarios.includes('freshness')) {
      report.freshness = await freshnessScenario(ctx, report.kiosk?.checkin.throughput);
      keep();
    }
    if (scenarios.includes('replay')) {
      report.replay = await replayScenario(ctx);
      keep();
    }
    if (scenarios.includes('read')) report.read = await readSideScenario(ctx);
    report.broker = ctx.brokerMemory();
  } finally {
    await stop();
  }
  report.finishedAt = new Date().toISOString();
  const written = writeReport(report, path.resolve(repoRoot, out), runDir);
  progress.log(`\nResults: ${written.join(', ')}\n`);
  process.stdout.write(
    `${fs.readFileSync(
      written.find((f) => f.endsWith('.md'))!,
      'utf8',
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
