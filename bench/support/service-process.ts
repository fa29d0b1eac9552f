import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

export interface ServiceProcessOptions {
  name: string;
  /** Script to run with node, relative to the repository root (e.g. `dist/apps/checkin/src/main.js`). */
  script: string;
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

/** One service run as production runs it: its own node process, so its memory is its own. */
export class ServiceProcess {
  private static readonly running = new Set<ServiceProcess>();
  private static closed = false;

  /** Stops every process still running and refuses new ones (an interrupted benchmark leaves none behind). */
  static async stopAll(): Promise<void> {
    ServiceProcess.closed = true;
    await Promise.all([...ServiceProcess.running].map((p) => p.stop()));
  }

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<number | null>,
  ) {}

  static async start(options: ServiceProcessOptions): Promise<ServiceProcess> {
    if (ServiceProcess.closed) throw new Error('the benchmark is stopping');
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    const log = fs.openSync(options.logFile, 'a');
    const args = options.cpuProfileDir ? ['-r', path.join(options.repoRoot, 'dist/bench/support/cpu-profile.preload.js'), options.script] : [options.script];
    const child = spawn(process.execPath, args, {
      cwd: options.repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        ...options.env,
        ...(options.cpuProfileDir ? { BENCH_CPU_PROFILE_DIR: options.cpuProfileDir } : {}),
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = new ServiceProcess(options.name, child, exited);
    ServiceProcess.running.add(service);
    void exited.then(() => ServiceProcess.running.delete(service));
    if (options.healthUrl) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${options.name} exited (${child.exitCode}) while starting; see ${options.logFile}`);
        if ((await httpStatus(options.healthUrl)) === 200) break;
        if (Date.now() > deadline) {
          await service.stop();
          throw new Error(`${options.name} was not healthy within 90 s; see ${options.logFile}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  memory(): { peakMb: number; currentMb: number } | undefined {
    return residentMemory(this.pid);
  }

  /** Resolves with the exit code once the process ends by itself. */
  wait(): Promise<number | null> {
    return this.exited;
  }

  /** SIGTERM (graceful shutdown; the CPU profile, if any, is written first), SIGKILL after 20 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function httpStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    request.setTimeout(2000, () => request.destroy());
  });
}
