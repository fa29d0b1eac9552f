import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportOpenApiDocument, ServiceDefinition } from '@crc/platform';
import { CHECKIN_SERVICE } from '../../apps/checkin/src/checkin.app.module';
import { MEMBERSHIP_SERVICE } from '../../apps/membership/src/membership.app.module';
import { REPORTING_SERVICE } from '../../apps/reporting/src/reporting.app.module';
import { TELEHEALTH_SERVICE } from '../../apps/telehealth/src/telehealth.app.module';

interface SpectralResult {
  code: string;
  message: string;
  path: Array<string | number>;
  severity: number;
}

interface RedoclyReport {
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}

const SEVERITY = ['error', 'warning', 'information', 'hint'];
const repoRoot = join(__dirname, '..', '..');

/** Runs a linter that exits non-zero when it finds anything: its report is on standard output either way. */
async function lint(binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { stdout } = await promisify(execFile)(binary, args, { maxBuffer: 16 * 1024 * 1024, env }).catch((error: { stdout?: string; stderr?: string }) => {
    if (!error.stdout?.trim().startsWith('[') && !error.stdout?.trim().startsWith('{'))
      throw new Error(`${binary} failed to run: ${error.stderr ?? String(error)}`);
    return { stdout: error.stdout };
  });
  return stdout.trim();
}

/**
 * Every service's OpenAPI document, built as `/docs-json` serves it, passes two third-party
 * linters with nothing to report: Spectral's OpenAPI ruleset (`.spectral.yaml`) with no error,
 * warning, information or hint, and Redocly CLI's `recommended` ruleset (`redocly.yaml`, where
 * each rule turned off says why) with no error or warning.
 */
describe('OpenAPI documents (Spectral, Redocly)', () => {
  const spectral = process.env.CRC_SPECTRAL ?? '';
  const redocly = process.env.CRC_REDOCLY ?? '';
  const workDir = mkdtempSync(join(tmpdir(), 'crc-openapi-'));
  const services: ServiceDefinition[] = [CHECKIN_SERVICE, MEMBERSHIP_SERVICE, TELEHEALTH_SERVICE, REPORTING_SERVICE];
  const files = new Map<string, string>();

  beforeAll(async () => {
    for (const definition of services) {
      const file = join(workDir, `${definition.name}.openapi.json`);
      writeFileSync(file, JSON.stringify(await exportOpenApiDocument(definition), null, 2));
      files.set(definition.name, file);
    }
  });

  it.each(services.map((s) => s.name))('%s: clean under spectral:oas', async (name) => {
    expect(spectral).not.toBe('');
    const stdout = await lint(spectral, [
      'lint',
      files.get(name)!,
      '--ruleset',
      join(repoRoot, '.spectral.yaml'),
      '--format',
      'json',
      '--fail-severity',
      'hint',
      '--quiet',
    ]);
    const findings = (JSON.parse(stdout || '[]') as SpectralResult[]).map(
      (r) => `${SEVERITY[r.severity] ?? r.severity} ${r.code} at ${r.path.join('.')}: ${r.message}`,
    );
    expect(findings).toEqual([]);
  });

  it.each(services.map((s) => s.name))("%s: clean under Redocly's recommended rules", async (name) => {
    expect(redocly).not.toBe('');
    // --lint-config error: a mistyped rule in redocly.yaml fails the run instead of being ignored.
    const stdout = await lint(
      redocly,
      ['lint', files.get(name)!, '--config', join(repoRoot, 'redocly.yaml'), '--lint-config', 'error', '--format', 'json', '--max-problems', '1000'],
      { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    );
    const report = JSON.parse(stdout) as RedoclyReport;
    const findings = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location.map((l) => l.pointer).join(', ')}: ${p.message}`);
    expect(findings).toEqual([]);
  });
});
