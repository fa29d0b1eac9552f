import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ServiceProcess, ServiceProcessOptions } from './service-process';

/** Small node programs standing in for a service: no infrastructure, each in its own process. */
const PROGRAMS = {
  printEnv: `process.stdout.write(JSON.stringify({ marker: process.env.SERVICE_PROCESS_SPEC_MARKER ?? null, nodeOptions: process.env.NODE_OPTIONS ?? null, port: process.env.PORT ?? null, path: !!process.env.PATH }));`,
  complain: `process.stderr.write('complaint\\n'); process.stdout.write('ordinary output\\n');`,
  exitSoon: `setTimeout(() => process.exit(3), 100);`,
  // Answers /health with 503 twice, then 200; stops gracefully on SIGTERM.
  healthyOnThird: `let asked = 0; const server = require('http').createServer((req, res) => { res.statusCode = ++asked >= 3 ? 200 : 503; res.end(); }).listen(Number(process.env.PORT), '127.0.0.1');
    process.on('SIGTERM', () => server.close(() => process.exit(0)));`,
  deafToSigterm: `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.stdout.write('deaf');`,
};

describe('ServiceProcess', () => {
  let dir: string;
  const started: ServiceProcess[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-process-spec-'));
    for (const [name, source] of Object.entries(PROGRAMS)) fs.writeFileSync(path.join(dir, `${name}.js`), source);
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop('SIGKILL', 1000)));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (program: keyof typeof PROGRAMS, options: Partial<ServiceProcessOptions> = {}) => {
    const process = ServiceProcess.start({
      name: program,
      script: `${program}.js`,
      cwd: dir,
      baseEnv: 'inherit',
      env: {},
      stdout: 'ignore',
      stderr: 'ignore',
      ...options,
    });
    started.push(process);
    return process;
  };
  const freePort = async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };

  it("starts from this process's environment or from PATH alone, with the service's heap limit, and `env` winning", async () => {
    process.env.SERVICE_PROCESS_SPEC_MARKER = 'from the shell';
    try {
      const read = async (options: Partial<ServiceProcessOptions>) => {
        const file = path.join(dir, `env-${Math.random()}.json`);
        await start('printEnv', { ...options, stdout: { file } }).waitForExit();
        return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      };
      expect(await read({ baseEnv: 'inherit', heapOf: 'reporting', env: { PORT: '3004' } })).toEqual({
        marker: 'from the shell',
        nodeOptions: '--max-old-space-size=160 --max-semi-space-size=8',
        port: '3004',
        path: true,
      });
      expect(await read({ baseEnv: 'clean' })).toEqual({ marker: null, nodeOptions: null, port: null, path: true });
      expect(await read({ baseEnv: 'clean', heapOf: 'checkin', env: { NODE_OPTIONS: '--max-old-space-size=64' } })).toMatchObject({
        nodeOptions: '--max-old-space-size=64',
      });
    } finally {
      delete process.env.SERVICE_PROCESS_SPEC_MARKER;
    }
  });

  it('appends standard error to a file of its own, in a directory it creates, apart from standard output', async () => {
    const file = path.join(dir, 'stderr', 'reporting-3004.log');
    await start('complain', { stderr: { file } }).waitForExit();
    const again = ServiceProcess.start({ name: 'complain', script: 'complain.js', cwd: dir, baseEnv: 'inherit', env: {}, stdout: 'ignore', stderr: { file } });
    await again.waitForExit();
    expect(fs.readFileSync(file, 'utf8')).toBe('complaint\ncomplaint\n');
  });

  it('waits until the service answers as wanted, and fails at once when it exits instead', async () => {
    const port = await freePort();
    const service = start('healthyOnThird', { env: { PORT: String(port) } });
    const statuses: number[] = [];
    await service.waitForHttp(`http://127.0.0.1:${port}/health`, {
      timeoutMs: 10_000,
      intervalMs: 50,
      accept: (status) => (statuses.push(status), status === 200),
      what: 'healthy',
    });
    expect(statuses.filter((s) => s !== 0)).toEqual([503, 503, 200]);
    await service.stop();
    expect(service.exitStatus).toBe('code 0');

    const dying = start('exitSoon');
    const startedAt = Date.now();
    await expect(
      dying.waitForHttp(`http://127.0.0.1:${await freePort()}/health`, {
        timeoutMs: 30_000,
        intervalMs: 50,
        accept: (status) => status === 200,
        what: 'healthy',
        hint: '; see its log',
      }),
    ).rejects.toThrow('exitSoon exited (code 3) while starting; see its log');
    // Well before the 30 s deadline: the exit was noticed, not waited out.
    expect(Date.now() - startedAt).toBeLessThan(20_000);
  });

  it('gives up waiting at the deadline', async () => {
    const port = await freePort();
    const service = start('healthyOnThird', { env: { PORT: String(port) } });
    await expect(
      service.waitForHttp(`http://127.0.0.1:${port}/health`, {
        timeoutMs: 300,
        intervalMs: 50,
        accept: (status) => status === 418,
        what: 'a teapot within 0.3 s',
      }),
    ).rejects.toThrow('healthyOnThird was not a teapot within 0.3 s');
  });

  it('stops with SIGTERM, and kills what does not stop within the grace period', async () => {
    const ready = path.join(dir, 'deaf.out');
    const deaf = start('deafToSigterm', { stdout: { file: ready } });
    // Until it says so, its SIGTERM handler may not be in place yet.
    while (!fs.existsSync(ready) || fs.readFileSync(ready, 'utf8') !== 'deaf') await new Promise((resolve) => setTimeout(resolve, 50));
    const startedAt = Date.now();
    await deaf.stop('SIGTERM', 500);
    expect(deaf.exitStatus).toBe('SIGKILL');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(450);

    const crashed = start('deafToSigterm');
    await crashed.stop('SIGKILL');
    expect(crashed.exitStatus).toBe('SIGKILL');
    expect(crashed.running).toBe(false);
  });
});
