import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { isAlive } from './paths';

/**
 * Runs in a separate node process. Polls every 500 ms; once the parent is gone (pid dead, or we were
 * re-parented), sends the server's stop signal (default SIGTERM) to its process group, SIGKILLs it 10 s later. Exits when the server exits.
 * Needed because a parent killed with SIGKILL runs no cleanup code of its own.
 */
const WATCHDOG_SCRIPT = `
const fs = require('fs');
const parent = Number(process.argv[1]);
const child = Number(process.argv[2]);
const stopSignal = process.argv[3] || 'SIGTERM';
const alive = (pid) => {
  try { process.kill(pid, 0); } catch (e) { return e.code === 'EPERM'; }
  try { const s = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); return s[s.lastIndexOf(')') + 2] !== 'Z'; } catch { return true; }
};
const signal = (sig) => { try { process.kill(-child, sig); } catch { try { process.kill(child, sig); } catch {} } };
const watch = setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (process.ppid === parent && alive(parent)) return;
  clearInterval(watch);
  signal(stopSignal);
  const deadline = Date.now() + 10000;
  setInterval(() => {
    if (!alive(child)) process.exit(0);
    if (Date.now() > deadline) { signal('SIGKILL'); process.exit(0); }
  }, 200);
}, 500);
`;

export interface SupervisedProcessOptions {
  /** Human name for messages, e.g. 'Kafka'. */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Our pid is written here while the process runs. */
  pidFile: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (only possible when we are root); default: ours. */
  uid?: number;
  gid?: number;
  /** What asks the server to stop (default SIGTERM); e.g. SIGINT is PostgreSQL's fast shutdown. */
  stopSignal?: NodeJS.Signals;
}

/** A server in its own process group, with a watchdog that stops it if this node process dies. */
export class SupervisedProcess {
  readonly pid: number;
  private readonly child: ChildProcess;
  private exitCode: number | null | undefined;
  private exitSignal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly options: SupervisedProcessOptions,
    child: ChildProcess,
  ) {
    this.child = child;
    this.pid = child.pid as number;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      }),
    );
  }

  static start(options: SupervisedProcessOptions): SupervisedProcess {
    fs.appendFileSync(options.logFile, `\n===== ${new Date().toISOString()} starting ${options.name} (parent pid ${process.pid}) =====\n`);
    const out = fs.openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      // detached: own process group, so a Ctrl-C to the terminal does not stop it before we decide the order.
      child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: ['ignore', out, out],
        uid: options.uid,
        gid: options.gid,
      });
    } finally {
      fs.closeSync(out);
    }
    if (child.pid === undefined) {
      throw new Error(`Could not start ${options.name} (${options.command}): spawn failed`);
    }
    const supervised = new SupervisedProcess(options, child);
    child.once('error', () => undefined); // reported via exit / readiness checks
    // Do not keep the event loop alive for the server: a forgotten stop() is covered by the watchdog.
    child.unref();
    fs.writeFileSync(options.pidFile, `${child.pid}\n`);
    spawnWatchdog(child.pid, options.stopSignal ?? 'SIGTERM');
    return supervised;
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }

  describeExit(): string {
    return this.exitSignal ? `was killed by ${this.exitSignal}` : `exited with code ${this.exitCode}`;
  }

  /** Resolves once the process has exited (never rejects). */
  waitForExit(): Promise<void> {
    return this.exited;
  }

  /** The timer is cleared so a quick exit does not leave the event loop waiting for it. */
  private async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.exited.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The stop signal (default SIGTERM) to the process group, wait up to `graceMs`, then SIGKILL. Idempotent. */
  stop(graceMs = 20_000): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.hasExited) {
        signalGroup(this.pid, this.options.stopSignal ?? 'SIGTERM');
        if (!(await this.exitsWithin(graceMs))) {
          signalGroup(this.pid, 'SIGKILL');
          await this.exitsWithin(5_000);
        }
      }
      removePidFile(this.options.pidFile, this.pid);
    })();
    return this.stopping;
  }
}

function spawnWatchdog(childPid: number, stopSignal: NodeJS.Signals): void {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SCRIPT, String(process.pid), String(childPid), stopSignal], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function removePidFile(pidFile: string, pid: number): void {
  try {
    if (fs.readFileSync(pidFile, 'utf8').trim() === String(pid)) fs.rmSync(pidFile, { force: true });
  } catch {
    // already gone
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A server left over from a crashed run on the same data dir would hold its ports and files.
 * Kills the pid named in `pidFile`, plus any other process, whose command line satisfies `isOurs`
 * (callers match on paths inside their own data dir, so unrelated servers are never touched).
 */
export async function killLeftover(
  pidFile: string,
  isOurs: (args: string[]) => boolean,
  log: (line: string) => void,
  name: string,
  stopSignal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const candidates = new Set<number>();
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) candidates.add(pid);
  } catch {
    // no pid file
  }
  try {
    for (const entry of fs.readdirSync('/proc')) if (/^\d+$/.test(entry)) candidates.add(Number(entry));
  } catch {
    // no /proc (not Linux): only the pid file is checked
  }
  const leftovers = [...candidates].filter((pid) => pid !== process.pid && isAlive(pid) && isOurs(commandLine(pid)));
  for (const pid of leftovers) {
    log(`${name}: stopping leftover process ${pid} from an earlier run on the same data dir`);
    signalGroup(pid, stopSignal);
  }
  for (const pid of leftovers) {
    const deadline = Date.now() + 20_000;
    while (isAlive(pid) && Date.now() < deadline) await delay(200);
    if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile, { force: true });
}

function commandLine(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Last `count` lines of a log file, for failure messages. */
export function tailFile(file: string, count = 30): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.slice(-count).join('\n');
  } catch {
    return '(no log output)';
  }
}
