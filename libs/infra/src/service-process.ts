import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeapLimitedService, serviceNodeOptions } from './service-heap';
import { delay } from './supervised-process';

/** Where a stream of the process goes: this process's, nowhere, or appended to a file (its directory is created). */
export type ProcessOutput = 'inherit' | 'ignore' | { file: string };

export interface ServiceProcessOptions {
  /** For messages, e.g. `reporting`. */
  name: string;
  /** The node program, absolute or relative to `cwd`, e.g. `dist/apps/reporting/src/main.js`. */
  script: string;
  cwd: string;
  /** Runs with this service's heap limit (service-heap.ts); none for programs that are not a service (the benchmark's ceilings). */
  heapOf?: HeapLimitedService;
  /**
   * What the environment starts from: `inherit`, this process's (`npm start`, the fault scenarios);
   * `clean`, PATH alone (the benchmark: nothing in a developer's shell changes a measurement).
   * The heap limit comes next, then `env`, which wins.
   */
  baseEnv: 'inherit' | 'clean';
  env: Record<string, string | undefined>;
  /** Node options before the script, e.g. a `-r` preload. */
  nodeArgs?: string[];
  stdout: ProcessOutput;
  stderr: ProcessOutput;
}

export interface HttpWaitOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Whether an answer's status will do (a status of 0 means no answer). */
  accept: (status: number) => boolean;
  /** A request not answered within this is retried; none: wait for the answer (a store outage can make `/health` slow). */
  requestTimeoutMs?: number;
  /** Ends the timeout's message, e.g. `healthy on port 3004 within 90 s`. */
  what: string;
  /** Appended to the failure messages, e.g. `; see <log file>`. */
  hint?: string;
}

/**
 * A service (or another node program of ours) in a process of its own, as production runs it:
 * the one way `npm start`, the fault scenarios and the benchmark start one. Not detached: it gets
 * the terminal's Ctrl-C like its parent. `stop` asks with SIGTERM (a graceful shutdown), then
 * kills.
 */
export class ServiceProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(options: ServiceProcessOptions): ServiceProcess {
    const opened: number[] = [];
    const stdio = (output: ProcessOutput): 'inherit' | 'ignore' | number => {
      if (typeof output === 'string') return output;
      fs.mkdirSync(path.dirname(output.file), { recursive: true });
      const fd = fs.openSync(output.file, 'a');
      opened.push(fd);
      return fd;
    };
    try {
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
        cwd: options.cwd,
        env: {
          ...(options.baseEnv === 'inherit' ? process.env : { PATH: process.env.PATH ?? '' }),
          ...(options.heapOf ? { NODE_OPTIONS: serviceNodeOptions(options.heapOf) } : {}),
          ...options.env,
        },
        stdio: ['ignore', stdio(options.stdout), stdio(options.stderr)],
      });
      return new ServiceProcess(options.name, child);
    } finally {
      for (const fd of opened) fs.closeSync(fd);
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How it ended: the signal that ended it, or its exit code; undefined while it runs. */
  get exitStatus(): string | undefined {
    if (this.running) return undefined;
    return this.child.signalCode ?? `code ${this.child.exitCode}`;
  }

  /** Resolves with the exit code once the process has ended (null when a signal ended it). */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /** Polls `url` until its answer is accepted; fails at once if the process exits meanwhile. */
  async waitForHttp(url: string, options: HttpWaitOptions): Promise<void> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`${this.name} exited (${this.exitStatus}) while starting${options.hint ?? ''}`);
      if (options.accept(await httpStatus(url, options.requestTimeoutMs))) return;
      if (Date.now() > deadline) throw new Error(`${this.name} was not ${options.what}${options.hint ?? ''}`);
      await delay(options.intervalMs);
    }
  }

  /** Sends `signal` (SIGTERM: a graceful shutdown; SIGKILL: a crash), then SIGKILL if it is still running after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const exitedInTime = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!exitedInTime && this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** The status of a GET, or 0 when there is no answer (refused, reset, or not within `timeoutMs`). */
export async function httpStatus(url: string, timeoutMs?: number): Promise<number> {
  try {
    const response = await fetch(url, timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}
