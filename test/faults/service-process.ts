import { join } from 'node:path';
import { ServiceProcess as Process } from '../../libs/infra/src/service-process';

const ROOT = join(__dirname, '..', '..');

/**
 * A service running as its own process from the build (dist/), as in production, so that a fault
 * scenario can kill it with SIGKILL and start it again on the same port. Started the one way
 * every service process is (libs/infra/src/service-process.ts).
 */
export class ServiceProcess {
  private process?: Process;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string | undefined>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  start(): void {
    // FAULTS_STDERR_DIR: each service process's standard error in a file of its own (for example the
    // MongoDB driver's log, MONGODB_LOG_TOPOLOGY=debug), to tell the processes apart afterwards.
    const stderrDir = process.env.FAULTS_STDERR_DIR;
    this.process = Process.start({
      name: this.name,
      script: join(ROOT, 'dist', 'apps', this.name, 'src', 'main.js'),
      cwd: ROOT,
      // No heap limit: the scenarios have always run the services with V8's default heap.
      baseEnv: 'inherit',
      env: { ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdout: 'ignore',
      stderr: stderrDir ? { file: join(stderrDir, `${this.name}-${this.port}.log`) } : 'inherit',
    });
  }

  /** Waits until /health answers at all (the broker or the store may be down on purpose). */
  async listening(timeoutMs = 60_000): Promise<void> {
    if (!this.process) throw new Error(`${this.name} was never started`);
    await this.process.waitForHttp(`${this.url}/health`, {
      timeoutMs,
      intervalMs: 200,
      accept: (status) => status > 0,
      what: `listening on ${this.port} within ${timeoutMs} ms`,
    });
  }

  async healthy(timeoutMs = 90_000): Promise<void> {
    if (!this.process) throw new Error(`${this.name} was never started`);
    await this.process.waitForHttp(`${this.url}/health`, {
      timeoutMs,
      intervalMs: 250,
      accept: (status) => status === 200,
      what: `healthy within ${timeoutMs} ms`,
    });
  }

  /** SIGKILL: no shutdown hooks, nothing drained; SIGTERM: a graceful stop (SIGKILL after 20 s). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    await this.process?.stop(signal, 20_000);
  }
}
