import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeapLimitedService } from '../../libs/infra/src/service-heap';
import { ServiceProcess as Process } from '../../libs/infra/src/service-process';

export interface ServiceProcessOptions {
  name: string;
  /** Script to run with node, relative to the repository root (e.g. `dist/apps/checkin/src/main.js`). */
  script: string;
  /** Runs with this service's heap limit (libs/infra/src/service-heap.ts), as it runs everywhere. */
  heapOf?: HeapLimitedService;
  env: Record<string, string>;
  logFile: string;
  repoRoot: string;
  /** Writes a V8 CPU profile into this directory when the process is stopped. */
  cpuProfileDir?: string;
  /** Polled until it answers 200; none: the process is ready when it is running. */
  healthUrl?: string;
}

/** Peak and current resident memory of a process, from /proc (Linux): VmHWM is the kernel's own high-water mark. */
export function residentMemory(pid: number): { peakMb: number; currentMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, currentMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/**
 * One service (or ceiling program) run as production runs it: its own node process, so its memory
 * is its own; started the one way every service process is (libs/infra/src/service-process.ts),
 * from a clean environment, its output in its log file.
 */
export class ServiceProcess {
  private static readonly running = new Set<ServiceProcess>();
  private static closed = false;

  /** Stops every process still running and refuses new ones (an interrupted benchmark leaves none behind). */
  static async stopAll(): Promise<void> {
    ServiceProcess.closed = true;
    await Promise.all([...ServiceProcess.running].map((p) => p.stop()));
  }

  private constructor(private readonly process: Process) {}

  get name(): string {
    return this.process.name;
  }

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    if (ServiceProcess.closed) throw new Error('the benchmark is stopping');
    const service = new ServiceProcess(
      Process.start({
        name: options.name,
        script: options.script,
        cwd: options.repoRoot,
        heapOf: options.heapOf,
        baseEnv: 'clean',
        env: { ...options.env, ...(options.cpuProfileDir ? { BENCH_CPU_PROFILE_DIR: options.cpuProfileDir } : {}) },
        nodeArgs: options.cpuProfileDir ? ['-r', path.join(options.repoRoot, 'dist/bench/support/cpu-profile.preload.js')] : [],
        stdout: { file: options.logFile },
        stderr: { file: options.logFile },
      }),
    );
    ServiceProcess.running.add(service);
    void service.wait().then(() => ServiceProcess.running.delete(service));
    if (options.healthUrl) {
      try {
        await service.process.waitForHttp(options.healthUrl, {
          timeoutMs: 90_000,
          intervalMs: 200,
          requestTimeoutMs: 2000,
          accept: (status) => status === 200,
          what: 'healthy within 90 s',
          hint: `; see ${options.logFile}`,
        });
      } catch (error) {
        await service.stop();
        throw error;
      }
    }
    return service;
  }

  get pid(): number {
    return this.process.pid;
  }

  memory(): { peakMb: number; currentMb: number } | undefined {
    return residentMemory(this.pid);
  }

  /** Resolves with the exit code once the process ends by itself. */
  wait(): Promise<number | null> {
    return this.process.waitForExit();
  }

  /** SIGTERM (graceful shutdown; the CPU profile, if any, is written first), SIGKILL after 20 s. */
  stop(): Promise<void> {
    return this.process.stop('SIGTERM', 20_000);
  }
}
