import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { findFreePorts } from '../../libs/infra/src/ports';
import { HeapLimitedService, serviceNodeOptions } from '../../libs/infra/src/service-heap';
import { childPids } from './process-cpu';
import { Progress } from './progress';
import { DaySettings, ScaleName } from './scale';
import { residentMemory, ServiceProcess } from './service-process';
import { SeededRandom } from './seeded-random';

export interface BenchSettings {
  scale: ScaleName;
  runs: number;
  seed: number;
  /** Seconds of each measured load window. */
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Events generated for each of the replay's sizes. */
  replaySizes: number[];
  /** Visits stored for each of the read side's sizes. */
  readSizes: number[];
  rosterMembers: number;
  day: DaySettings;
  /** Freshness's second rate when the kiosk load did not run in the same benchmark (its maximum is then unknown). */
  maxRate?: number;
  /** Services to run under the V8 profiler (`--profile checkin,reporting`). */
  profile: string[];
}

export interface StartedService {
  service: ServiceProcess;
  port: number;
  /** Where its store time by statement is written (STORE_STATEMENT_PROFILE). */
  statementsFile: string;
}

interface Credentials {
  kiosks: Array<{ centerId: string; token: string }>;
  staff: Array<{ centerId: string; token: string }>;
  partners: Array<{ plan: string; token: string }>;
  ops: Array<{ token: string }>;
}

/** What every scenario needs: the infrastructure, where to write, and how to start services. */
export class BenchContext {
  readonly credentials: Credentials;
  readonly centers: string[];
  private readonly kafka: Kafka;
  readonly brokerPid?: number;

  constructor(
    readonly repoRoot: string,
    readonly runDir: string,
    readonly kafkaBrokers: string[],
    readonly mongoUri: string,
    readonly settings: BenchSettings,
    readonly progress: Progress,
  ) {
    this.credentials = JSON.parse(fs.readFileSync(path.join(repoRoot, 'deploy/local/seed/credentials.json'), 'utf8')) as Credentials;
    this.centers = this.credentials.kiosks.map((k) => k.centerId);
    this.kafka = new Kafka({ clientId: 'bench', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
    const pidFile = path.join(runDir, 'infra', 'kafka.pid');
    this.brokerPid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : undefined;
  }

  async port(): Promise<number> {
    return (await findFreePorts(1))[0];
  }

  random(stream: string): SeededRandom {
    let hash = this.settings.seed;
    for (const char of stream) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
    return new SeededRandom(hash);
  }

  kafkaClient(): Kafka {
    return this.kafka;
  }

  /** Environment of a service process of this benchmark. */
  serviceEnv(database: string, topicPrefix: string, port: number, extra: Record<string, string> = {}): Record<string, string> {
    return {
      // The benchmark's kiosks use the development credentials, which production refuses; the
      // stance changes nothing else in the services.
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      MONGODB_URI: this.mongoUri,
      MONGODB_DATABASE: database,
      KAFKA_BROKERS: this.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: topicPrefix,
      LOG_LEVEL: 'warn',
      // Where each process's store time goes, by command and collection (see docs/benchmarks.md).
      STORE_STATEMENT_PROFILE: this.statementsFile(database),
      ...extra,
    };
  }

  statementsFile(database: string): string {
    return path.join(this.runDir, 'statements', `${database}.json`);
  }

  async startService(name: HeapLimitedService, database: string, topicPrefix: string, extra: Record<string, string> = {}): Promise<StartedService> {
    const port = await this.port();
    const service = await ServiceProcess.start({
      name,
      script: `dist/apps/${name}/src/main.js`,
      // As it runs everywhere: with its heap limit (libs/infra/src/service-heap.ts).
      env: { NODE_OPTIONS: serviceNodeOptions(name), ...this.serviceEnv(database, topicPrefix, port, extra) },
      logFile: path.join(this.runDir, 'logs', `${name}-${database}.log`),
      repoRoot: this.repoRoot,
      cpuProfileDir: this.settings.profile.includes(name) ? path.join(this.runDir, 'profiles') : undefined,
      healthUrl: `http://127.0.0.1:${port}/health`,
    });
    return { service, port, statementsFile: this.statementsFile(database) };
  }

  /** The store's processes when they are ours: FerretDB, and PostgreSQL's postmaster with its backends. */
  storePids(): number[] {
    const pids: number[] = [];
    for (const file of ['ferretdb.pid', 'postgresql.pid']) {
      const pid = readPid(path.join(this.runDir, 'infra', file));
      if (pid) pids.push(pid);
    }
    const postmaster = readPid(path.join(this.runDir, 'infra', 'postgresql.pid'));
    return postmaster ? [...pids, ...childPids(postmaster)] : pids;
  }

  /** Sum of the end offsets of topics (how many events were ever published to them). */
  async publishedCount(topics: string[]): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      let total = 0;
      const existing = new Set(await admin.listTopics());
      for (const topic of topics.filter((t) => existing.has(t))) {
        for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high);
      }
      return total;
    } finally {
      await admin.disconnect();
    }
  }

  /** Resident memory of the broker process and its Java heap (used, and the -Xmx bound), when it is ours. */
  brokerMemory(): { peakRssMb: number; heapUsedMb: number; heapMaxMb: number } | undefined {
    if (!this.brokerPid) return undefined;
    const rss = residentMemory(this.brokerPid);
    if (!rss) return undefined;
    const { heapUsedMb, heapMaxMb } = javaHeap(this.brokerPid);
    return { peakRssMb: rss.peakMb, heapUsedMb, heapMaxMb };
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim().split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Used and maximum heap of a JVM, from `jcmd GC.heap_info` (NaN when jcmd is missing). */
function javaHeap(pid: number): { heapUsedMb: number; heapMaxMb: number } {
  try {
    const heap = execFileSync('jcmd', [String(pid), 'GC.heap_info'], { encoding: 'utf8', timeout: 10_000 });
    const used = /garbage-first heap\s+total \d+K, used (\d+)K/.exec(heap);
    const maxHeap = /MaxHeapSize=(\d+)/.exec(execFileSync('jcmd', [String(pid), 'VM.flags'], { encoding: 'utf8', timeout: 10_000 }));
    return { heapUsedMb: used ? Number(used[1]) / 1024 : NaN, heapMaxMb: maxHeap ? Number(maxHeap[1]) / 1048576 : NaN };
  } catch {
    return { heapUsedMb: NaN, heapMaxMb: NaN };
  }
}

/** Samples a value while work runs; returns the work's result and the largest sample. */
export async function withPeak<T>(sample: () => number | undefined, work: () => Promise<T>, intervalMs = 500): Promise<{ result: T; peak: number }> {
  let peak = NaN;
  const take = () => {
    const value = sample();
    if (value !== undefined && Number.isFinite(value) && !(value <= peak)) peak = value;
  };
  const timer = setInterval(take, intervalMs);
  try {
    const result = await work();
    take();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}
