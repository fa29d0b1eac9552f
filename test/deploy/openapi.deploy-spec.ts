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

const SEVERITY = ['error', 'warning', 'information', 'hint'];

/**
 * Every service's OpenAPI document, built as `/docs-json` serves it, passes Spectral's OpenAPI
 * ruleset (`.spectral.yaml`) with no error, warning, information or hint.
 */
describe('OpenAPI documents (Spectral)', () => {
  const spectral = process.env.CRC_SPECTRAL ?? '';
  const workDir = mkdtempSync(join(tmpdir(), 'crc-openapi-'));
  const ruleset = join(__dirname, '..', '..', '.spectral.yaml');
  const services: ServiceDefinition[] = [CHECKIN_SERVICE, MEMBERSHIP_SERVICE, TELEHEALTH_SERVICE, REPORTING_SERVICE];

  it.each(services.map((s) => [s.name, s] as const))('%s: clean under spectral:oas', async (name, definition) => {
    expect(spectral).not.toBe('');
    const file = join(workDir, `${name}.openapi.json`);
    writeFileSync(file, JSON.stringify(await exportOpenApiDocument(definition), null, 2));
    // Exit code 1 when anything is found (fail-severity hint): read the results either way.
    const { stdout } = await promisify(execFile)(spectral, ['lint', file, '--ruleset', ruleset, '--format', 'json', '--fail-severity', 'hint', '--quiet'], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout?.trim().startsWith('[')) throw new Error(`Spectral failed to run: ${error.stderr ?? String(error)}`);
      return { stdout: error.stdout };
    });
    const findings = (JSON.parse(stdout.trim() || '[]') as SpectralResult[]).map(
      (r) => `${SEVERITY[r.severity] ?? r.severity} ${r.code} at ${r.path.join('.')}: ${r.message}`,
    );
    expect(findings).toEqual([]);
  });
});
