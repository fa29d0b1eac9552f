import { spawn, spawnSync } from 'node:child_process';

const DEBIAN_HINT = 'On Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven golang (Go must be 1.24+; otherwise get it from https://go.dev/dl).';

function alternatives(kind: 'kafka' | 'store'): string {
  const envVar = kind === 'kafka' ? 'KAFKA_BROKERS=host:port[,host:port]' : 'MONGODB_URI=mongodb://host:port';
  return `Alternatives: set ${envVar} to use a server that is already running, or run a Docker engine so Testcontainers starts one.`;
}

export class ToolchainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolchainError';
  }
}

function probe(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** `java -version` prints e.g. `openjdk version "17.0.15"` or `"1.8.0_392"` on stderr. */
export function checkJava(): void {
  const { ok, output } = probe('java', ['-version']);
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : undefined;
  if (!ok || major === undefined) {
    throw new ToolchainError(
      `Local Kafka needs Java 17+ ("java" on PATH), but "java -version" failed: ${output.trim().split('\n')[0] || 'not found'}. ` +
        `${DEBIAN_HINT} ${alternatives('kafka')}`,
    );
  }
  if (major < 17) {
    throw new ToolchainError(`Local Kafka needs Java 17+, found Java ${major}. ${DEBIAN_HINT} ${alternatives('kafka')}`);
  }
}

export function checkMaven(): void {
  const { ok, output } = probe('mvn', ['-v']);
  if (!ok) {
    throw new ToolchainError(
      `Local Kafka needs Maven ("mvn" on PATH) once, to fetch the Kafka jars from Maven Central, but "mvn -v" failed: ` +
        `${output.trim().split('\n')[0] || 'not found'}. ${DEBIAN_HINT} ${alternatives('kafka')}`,
    );
  }
}

export const MIN_GO = [1, 24] as const;

export function checkGo(): void {
  const { ok, output } = probe('go', ['env', 'GOVERSION']);
  const match = /go(\d+)\.(\d+)/.exec(output);
  if (!ok || !match) {
    throw new ToolchainError(
      `The local store (FerretDB) needs Go ${MIN_GO.join('.')}+ ("go" on PATH) once, to build it, but "go env GOVERSION" failed: ` +
        `${output.trim().split('\n')[0] || 'not found'}. ${DEBIAN_HINT} ${alternatives('store')}`,
    );
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new ToolchainError(
      `The local store (FerretDB) needs Go ${MIN_GO.join('.')}+ to build, found ${output.trim()}. ` +
        `Get a newer Go from https://go.dev/dl (Debian's golang package may be too old). ${alternatives('store')}`,
    );
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called for each output line (stdout and stderr), ANSI colours stripped. */
  onLine?: (line: string) => void;
}

export interface RunResult {
  code: number | null;
  /** Last lines of combined output, for error messages. */
  tail: string[];
  /** Whole stdout. */
  stdout: string;
}

/** Runs a build tool to completion, streaming its lines; keeps the tail for errors. */
export function runTool(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let stdout = '';
    const feed = (stream: NodeJS.ReadableStream, isStdout: boolean) => {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        if (isStdout) stdout += chunk;
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const raw of lines) emit(raw);
      });
      stream.on('end', () => pending && emit(pending));
    };
    const emit = (raw: string) => {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
    };
    feed(child.stdout, true);
    feed(child.stderr, false);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, tail, stdout }));
  });
}
