import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devTokens } from '@crc/testing';
import { ServiceName, startTestSystem, TestSystem } from './support/test-system';

/**
 * Fuzzes every service's HTTP API from its own OpenAPI document with schemathesis: no 5xx, and
 * every response (status, content type, body) as the document says. `npm test` runs a few
 * examples per operation; `npm run hostile` many (FUZZ_MAX_EXAMPLES).
 */
function runCommand(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('API fuzzing (schemathesis)', () => {
  const maxExamples = Number(process.env.FUZZ_MAX_EXAMPLES ?? 8);
  let system: TestSystem;
  let st: string;
  const workDir = mkdtempSync(join(tmpdir(), 'crc-fuzz-'));

  beforeAll(async () => {
    st = execFileSync('bash', [join(__dirname, 'fuzz', 'ensure-schemathesis.sh')], { encoding: 'utf8' }).trim();
    system = await startTestSystem(['checkin', 'membership', 'telehealth', 'reporting'], { RATE_LIMIT_PER_MINUTE: '0', FAILED_AUTH_PER_MINUTE: '0' });
  }, 600_000);

  afterAll(async () => {
    await system?.close();
  });

  /** Who calls each service in the fuzz run, and the path parameters that keep it on its own center or plan. */
  const callers: Record<ServiceName, { token: string; parameters: Record<string, string> }> = {
    checkin: { token: devTokens.kiosk('crc-el-monte'), parameters: { centerId: 'crc-el-monte' } },
    membership: { token: devTokens.staff('crc-el-monte'), parameters: { centerId: 'crc-el-monte' } },
    telehealth: { token: devTokens.kiosk('crc-el-monte'), parameters: { centerId: 'crc-el-monte' } },
    reporting: { token: devTokens.partner('LA_CARE'), parameters: { plan: 'LA_CARE' } },
  };

  for (const service of Object.keys(callers) as ServiceName[]) {
    it(`${service}: no server errors, responses as documented`, async () => {
      const { token, parameters } = callers[service];
      const config = join(workDir, `${service}.toml`);
      writeFileSync(
        config,
        [
          `headers = { Authorization = "Bearer ${token}" }`,
          'request-timeout = 10.0',
          '[generation]',
          `max-examples = ${maxExamples}`,
          '[parameters]',
          ...Object.entries(parameters).map(([name, value]) => `"path.${name}" = "${value}"`),
        ].join('\n'),
      );
      const base = system.api(service).baseUrl;
      // Asynchronously: the services answer from this very process.
      const run = await runCommand(st, [
        '--config-file',
        config,
        'run',
        `${base}/docs-json`,
        '--url',
        base,
        '--checks',
        'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance',
        '--seed',
        '20261128',
        // The live stream never ends, and schemathesis cannot write NDJSON or CSV request bodies:
        // both are exercised by their own end-to-end tests.
        '--exclude-path',
        '/v1/operations/dashboard/stream',
        '--exclude-path',
        '/v1/partners/{plan}/eligibility',
        '--no-color',
      ]);
      const output = `${run.stdout}\n${run.stderr}`;
      // Schemathesis closes like pytest ("==== 2 warnings in 4.1s ===="); only its counts are
      // echoed, so that the run's own closing line is the one that sums up the tests.
      const summary = output
        .split('\n')
        .filter((l) => /\bgenerated\b/.test(l))
        .map((l) => l.replace(/=+/g, '').trim())
        .slice(-1)[0];
      process.stdout.write(`\nschemathesis ${service}: ${summary ?? 'no summary'}\n`);
      if (run.status !== 0) process.stdout.write(output.slice(-6000));
      expect(run.status).toBe(0);
    }, 600_000);
  }
});
