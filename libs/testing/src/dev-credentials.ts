import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnerPlan } from '@crc/contracts';

interface CredentialsFile {
  kiosks: Array<{ centerId: string; token: string }>;
  staff: Array<{ centerId: string; token: string }>;
  partners: Array<{ plan: PartnerPlan; token: string }>;
  ops: Array<{ token: string }>;
}

const SEED_DIR = join(__dirname, '..', '..', '..', 'deploy', 'local', 'seed');

let cached: CredentialsFile | undefined;
function file(): CredentialsFile {
  cached ??= JSON.parse(readFileSync(join(SEED_DIR, 'credentials.json'), 'utf8')) as CredentialsFile;
  return cached;
}

/** The seeded development tokens, by who holds them. */
export const devTokens = {
  kiosk: (centerId: string) => find(file().kiosks, (k) => k.centerId === centerId, `kiosk of ${centerId}`),
  staff: (centerId: string) => find(file().staff, (k) => k.centerId === centerId, `staff of ${centerId}`),
  partner: (plan: PartnerPlan) => find(file().partners, (p) => p.plan === plan, `partner ${plan}`),
  ops: () => file().ops[0].token,
};

function find<T extends { token: string }>(list: T[], match: (t: T) => boolean, what: string): string {
  const entry = list.find(match);
  if (!entry) throw new Error(`no seeded token for ${what}`);
  return entry.token;
}

export const seedFile = (...parts: string[]) => join(SEED_DIR, ...parts);
