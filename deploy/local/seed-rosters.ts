/**
 * Uploads the seeded eligibility rosters (deploy/local/seed/rosters) through reporting's API,
 * with the partner tokens of deploy/local/seed/credentials.json, as the plans would. Used by
 * `npm start` and, as `node dist/deploy/local/seed-rosters.js`, by the one-shot `seed` service of
 * docker-compose.yml (REPORTING_URL names the reporting service; it waits for it to be ready).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../libs/infra/src/paths';

// From the sources (tests) and from dist/ (the image, npm start) alike.
const SEED = join(findRepoRoot(__dirname), 'deploy', 'local', 'seed');

const ROSTERS = [
  ['LA_CARE', 'la-care.ndjson'],
  ['BLUE_SHIELD_PROMISE', 'blue-shield-promise.ndjson'],
] as const;

export async function seedRosters(reportingUrl: string, say: (line: string) => void): Promise<void> {
  const credentials = JSON.parse(readFileSync(join(SEED, 'credentials.json'), 'utf8')) as {
    partners: Array<{ plan: string; token: string }>;
  };
  for (const [plan, file] of ROSTERS) {
    const token = credentials.partners.find((p) => p.plan === plan)!.token;
    const response = await fetch(`${reportingUrl}/v1/partners/${plan}/eligibility?mode=REPLACE`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: readFileSync(join(SEED, 'rosters', file)),
    });
    const result = (await response.json()) as { accepted?: number; rejected?: number };
    if (response.status !== 200) throw new Error(`seeding the ${plan} roster failed: ${response.status} ${JSON.stringify(result)}`);
    say(`  seeded ${plan} roster: ${result.accepted} coverage spans`);
  }
}

/** Until reporting's store answers (`/health/ready`), or the deadline passes. */
async function waitUntilReady(reportingUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${reportingUrl}/health/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${reportingUrl} was not ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (require.main === module) {
  const reportingUrl = process.env.REPORTING_URL ?? 'http://127.0.0.1:3004';
  const say = (line: string) => process.stdout.write(`${line}\n`);
  waitUntilReady(reportingUrl, 120_000)
    .then(() => seedRosters(reportingUrl, say))
    .catch((error: unknown) => {
      process.stderr.write(`seed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
