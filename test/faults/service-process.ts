import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * A service running as its own process from the build (dist/), as in production, so that a fault
 * scenario can kill it with SIGKILL and start it again on the same port.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    // FAULTS_STDERR_DIR: each service process's standard error in a file of its own (for example the
    // MongoDB driver's log, MONGODB_LOG_TOPOLOGY=debug), to tell the processes apart afterwards.
    const stderrDir = process.env.FAULTS_STDERR_DIR;
    const stderr = stderrDir ? openSync(join(stderrDir, `${this.name}-${this.port}.log`), 'a') : 'inherit';
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', this.name, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', stderr],
    });
    if (typeof stderr === 'number') closeSync(stderr);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Waits until /health answers at all (the broker or the store may be down on purpose). */
  async listening(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited while starting`);
      try {
        await fetch(`${this.url}/health`);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`${this.name} did not listen on ${this.port} within ${timeoutMs} ms`);
  }

  async healthy(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/health`)).status === 200) return;
      } catch {
        // not yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms`);
  }

  /** SIGKILL: no shutdown hooks, nothing drained; SIGTERM: a graceful stop. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    this.child!.kill(signal);
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (this.running) {
      this.child!.kill('SIGKILL');
      await this.exited;
    }
  }
}
