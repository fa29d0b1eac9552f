import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isPartnerPlan, PartnerPlan } from '@crc/contracts';
import { Principal } from './principal';

interface CredentialEntry {
  id?: string;
  token?: string;
  /** Hex SHA-256 of the token: lets production keep no token in the clear. */
  tokenSha256?: string;
  centerId?: string;
  plan?: string;
}

interface CredentialsFile {
  kiosks?: CredentialEntry[];
  staff?: CredentialEntry[];
  partners?: CredentialEntry[];
  ops?: CredentialEntry[];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Holds only the SHA-256 of each token, and compares digests in constant time.
 * Several tokens may map to one principal, which is how a credential is rotated without downtime:
 * add the new token, roll out the kiosks, remove the old one.
 */
export class CredentialStore {
  private entries: Array<{ digest: Buffer; principal: Principal }> = [];

  static fromFile(path: string, knownCenterIds?: ReadonlySet<string>): CredentialStore {
    let parsed: CredentialsFile;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as CredentialsFile;
    } catch (error) {
      // Not the parser's message: it quotes the file, and the file holds tokens.
      throw new Error(
        `CREDENTIALS_FILE ${path} cannot be read as JSON (${error instanceof SyntaxError ? 'syntax error' : ((error as { code?: string }).code ?? 'unreadable')})`,
      );
    }
    return CredentialStore.fromObject(parsed, knownCenterIds);
  }

  static fromObject(file: CredentialsFile, knownCenterIds?: ReadonlySet<string>): CredentialStore {
    const store = new CredentialStore();
    const centerOf = (entry: CredentialEntry, kind: string): string => {
      if (!entry.centerId || (knownCenterIds && !knownCenterIds.has(entry.centerId))) {
        throw new Error(`credentials: a ${kind} entry names an unknown center "${entry.centerId ?? ''}"`);
      }
      return entry.centerId;
    };
    const planOf = (entry: CredentialEntry): PartnerPlan => {
      if (!isPartnerPlan(entry.plan)) throw new Error(`credentials: a partner entry names an unknown plan "${entry.plan ?? ''}"`);
      return entry.plan;
    };
    (file.kiosks ?? []).forEach((e, i) => {
      const centerId = centerOf(e, 'kiosk');
      store.add(e, { role: 'kiosk', centerId, credentialId: e.id ?? `kiosk:${centerId}:${i}` });
    });
    (file.staff ?? []).forEach((e, i) => {
      const centerId = centerOf(e, 'staff');
      store.add(e, { role: 'staff', centerId, credentialId: e.id ?? `staff:${centerId}:${i}` });
    });
    (file.partners ?? []).forEach((e, i) => {
      const plan = planOf(e);
      store.add(e, { role: 'partner', plan, credentialId: e.id ?? `partner:${plan}:${i}` });
    });
    (file.ops ?? []).forEach((e, i) => store.add(e, { role: 'ops', credentialId: e.id ?? `ops:${i}` }));
    return store;
  }

  private add(entry: CredentialEntry, principal: Principal): void {
    let digest: Buffer;
    if (entry.tokenSha256 && /^[0-9a-f]{64}$/i.test(entry.tokenSha256)) digest = Buffer.from(entry.tokenSha256, 'hex');
    else if (entry.token && entry.token.length >= 16) digest = sha256(entry.token);
    else throw new Error(`credentials: ${principal.credentialId} needs a token of 16+ characters or a tokenSha256`);
    this.entries.push({ digest, principal });
  }

  /** Every entry is compared, so the time taken says nothing about which one matched. */
  authenticate(token: string): Principal | undefined {
    const digest = sha256(token);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry.principal;
    }
    return found;
  }

  /** Takes over another store's credentials (a reloaded file): rotation without a restart. */
  replaceWith(other: CredentialStore): void {
    this.entries = other.entries;
  }

  get size(): number {
    return this.entries.length;
  }
}
