import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startInfrastructure } from '@crc/infra';
import { BenchContext, BenchSettings } from './support/bench-context';
import { Progress } from './support/progress';
import { commitInfo, endLoadAverage, machineInfo } from './support/provenance';
import { SCALE_SIZES, SCALES, ScaleName } from './support/scale';
import { ServiceProcess } from './support/service-process';
import { freshnessScenario } from './scenarios/freshness.scenario';
import { kioskLoadScenario } from './scenarios/kiosk-load.scenario';
import { networkDayScenario } from './scenarios/network-day.scenario';
import { readSideScenario } from './scenarios/read-side.scenario';
import { replayScenario } from './scenarios/replay.scenario';
import { BenchReport, summary, writeReport } from './support/report';

const SCENARIOS = ['kiosk', 'freshness', 'day', 'replay', 'read'] as const;
type Scenario = (typeof SCENARIOS)[number];

const USAGE = `npm run bench -- [options]
  --scale full             sizes: small (a smoke run of minutes), medium, full (the targets' sizes; default)
  --scenarios kiosk,freshness,day,replay,read   which to run (default: all)
  Any size of the scale can be set on its own:
  --runs 3                 kiosk load runs; each figure is their median
  --duration 20            seconds of each measured load window (after --warmup 5)
  --connections 16         closed-loop connections of the kiosk load
  --max-rate N             freshness's second rate when the kiosk load is not run (else its measured maximum)
  --day-visits 300         visits per center in the day in the network
  --day-speed 60           how much faster than real time the day is replayed
  --offline-kiosks 3       kiosks that go offline during the day and sync a batch
  --replay-events 10000,30000,100000   the replay's three sizes (the largest is judged; all give the time for 1M)
  --read-visits 10000,100000,300000    the read side's sizes (visits stored)
  --roster 20000           members in the generated rosters
  --seed 7                 the generators' seed
  --profile checkin,reporting  write V8 CPU profiles of these services
  --out docs/benchmarks    where results.json, results.md and the charts go`;

export function parseArgs(argv: string[]): { settings: BenchSettings; scenarios: Scenario[]; out: string } {
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
  const scale = (options.get('scale') ?? 'full') as ScaleName;
  if (!SCALES.includes(scale)) throw new Error(`unknown scale ${scale}; choose from ${SCALES.join(', ')}`);
  const sizes = SCALE_SIZES[scale];
  const number = (name: string, fallback: number) => {
    const value = Number(options.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
    return value;
  };
  const list = (name: string, fallback: number[]) => {
    const given = options.get(name);
    if (given === undefined) return fallback;
    const values = given.split(',').map(Number);
    if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${name} must be positive whole numbers separated by commas`);
    return values.sort((a, b) => a - b);
  };
  const scenarios = (options.get('scenarios') ?? SCENARIOS.join(',')).split(',').map((s) => s.trim()) as Scenario[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; choose from ${SCENARIOS.join(', ')}`);
  return {
    scenarios,
    out: options.get('out') ?? 'docs/benchmarks',
    settings: {
      scale,
      runs: Math.max(1, number('runs', sizes.runs)),
      seed: number('seed', 7),
      durationSeconds: number('duration', sizes.durationSeconds),
      warmupSeconds: number('warmup', sizes.warmupSeconds),
      connections: Math.max(1, number('connections', 16)),
      replaySizes: list('replay-events', sizes.replaySizes),
      readSizes: list('read-visits', list('year-visits', sizes.readSizes)),
      rosterMembers: number('roster', sizes.rosterMembers),
      day: {
        visitsPerCenter: Math.max(1, number('day-visits', sizes.day.visitsPerCenter)),
        speed: Math.max(1, number('day-speed', sizes.day.speed)),
        offlineKiosks: number('offline-kiosks', sizes.day.offlineKiosks),
      },
      ...(options.has('max-rate') ? { maxRate: number('max-rate', 0) } : {}),
      profile: (options.get('profile') ?? '').split(',').filter(Boolean),
    },
  };
}

async function main(): Promise<void> {
  const { settings, scenarios, out } = parseArgs(process.argv.slice(2));
  const repoRoot = path.resolve(__dirname, '../..');
  const runDir = path.join(repoRoot, '.benchmarks', new Date().toISOString().replace(/[:.]/g, '-'));
  fs.mkdirSync(runDir, { recursive: true });
  const steps = { kiosk: settings.runs, freshness: 2, day: 1, replay: settings.replaySizes.length, read: 2 * settings.readSizes.length };
  const progress = new Progress(1 + scenarios.reduce((n, s) => n + steps[s], 0));
  const startedAt = new Date();
  const machine = machineInfo();

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
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.replace(/ -- $/, '').trim(),
    commit: commitInfo(repoRoot),
    machine,
    settings,
    infrastructure: { kafka: infra.source.kafka, store: infra.source.mongo, ...(infra.storeBackend ? { storeBackend: infra.storeBackend } : {}) },
  };
  try {
    const ctx = new BenchContext(repoRoot, runDir, infra.kafkaBrokers, infra.mongoUri, settings, progress);
    progress.step('infrastructure up');
    // After each scenario the figures so far are written to the run's directory: a later failure keeps them.
    const keep = () => writeReport({ ...report, machine: endLoadAverage(machine), broker: ctx.brokerMemory() }, runDir, runDir);
    if (scenarios.includes('kiosk')) {
      report.kiosk = await kioskLoadScenario(ctx);
      keep();
    }
    if (scenarios.includes('freshness')) {
      report.freshness = await freshnessScenario(ctx, report.kiosk?.checkin.throughput);
      keep();
    }
    if (scenarios.includes('day')) {
      report.day = await networkDayScenario(ctx);
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
  report.machine = endLoadAverage(machine);
  const written = writeReport(report, path.resolve(repoRoot, out), runDir);
  progress.log(`\nResults: ${written.join(', ')} (every figure: results.md)\n`);
  process.stdout.write(`${summary(report)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
