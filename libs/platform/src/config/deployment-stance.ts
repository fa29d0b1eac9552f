import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ValidateBy, ValidationArguments } from 'class-validator';

export type DeploymentStance = 'development' | 'production';

/**
 * Decided once, from NODE_ENV: only `development` and `test` (trimmed, any case) are development;
 * anything else, unset included, is production. A typo or a forgotten variable must fail safe:
 * `Production`, `prod` or `production ` all get the production checks.
 */
export function deploymentStanceOf(nodeEnv: string | undefined): DeploymentStance {
  const normalised = (nodeEnv ?? '').trim().toLowerCase();
  return normalised === 'development' || normalised === 'test' ? 'development' : 'production';
}

/** Said in every production refusal, so an operator running locally knows the way out. */
const STANCE_NOTE = 'NODE_ENV is not development or test, so this service runs as production';

/** The development credentials file, the default of CREDENTIALS_FILE. */
export const DEVELOPMENT_CREDENTIALS_FILE = 'deploy/local/seed/credentials.json';

/**
 * SHA-256 of every token of deploy/local/seed/credentials.json (a spec keeps the two in step).
 * Held as digests so that production can recognise a copy of that file without the image carrying it.
 */
export const DEVELOPMENT_TOKEN_DIGESTS: ReadonlySet<string> = new Set([
  '76cca09ec48d7a93f3e60613e15e754fa2c38ab6e5b7eb76055fd65213e91812',
  '9ed7acebdc0d11b1c6bf4f7499a22c630568249803c61f6729929dabf964de20',
  '7c76de2a3669d907983353124db7c55e368a6ccc2028ea4998b127c0e160c474',
  'b339e90e2fbdcff8e904293d456df04840c016bef1623f7f33e2d3fa63c34096',
  '224d5226a6a7392acfc5d34b6a932cae2c7625c2ecdab26b5f505b50612ccc48',
  'b297b5b43846d7b24907c4e7bdb6d87831a4fdfa213103361148003a59fb343b',
  '1f84686e7ef44593929c9bc3162117d19195f5f97cf31d1a2e0e18319e640548',
  'd62ff8df708eb1231a14470f76bc60f6e6b1c8222c2a5c7fe76d28c6b53956af',
  'ce15a196cadacaf414f25bf89c1a44f474b172acdb239144efde493820691d3e',
  'd0508c25fec8313fe777ef526605fdb4d1e182b62089fd8060f76bf607dfec8d',
  '87f1ba1f16f14e6cd277a684cc5ad3d7c6da8f9729cd354bfa612178113ebc09',
  '3e3e30692dbe1d73ce17fc974621a9ba373eb870589f2a1f20bcb3cdc64858ef',
  'ee74723ea9e54e5ece75afbedd5492ac337ee0f4bb5a9ea3d2fdf0815252aefe',
  'bb5f9d4337867b55415ef02862fbc5f71a8a2fa7cc4a74bb3c45fceeaa26ede8',
  '2fd79f346dcdde139e0bca55131304fabf9a6c3ca343063ec344372a9ca4c78b',
  '6d3df00964e790bae5abb9455ef71b8cb4907163c886a60f75cad6141fbb9221',
  '12c09d8d448f544de09060339a2e2bcd1caca67e72ff62440fff9062762532a2',
  '8a6b5e845710caf2ac721acda4c8e4a06c97ba23e86da5437bba79a462560441',
  '278480dd74d0ca7f57ae0cb340bdb4ebfcc58b85e615eb291a5115ad91238b09',
  '11a20a34cb96cda728b3cac391bea832e897a1071fe7fb20ae58d762cd961fe9',
  '5ff4c3e40e05efc6453bb938280bf4755fd5699253fd137e5f3f083bc63d820d',
  '61bf72815d14d161bf33ba44941d22f8a7ce8431c35df4b7c8ad403d2326ca78',
  'ca0a9d8526cf633fbd01be61bd5fda847e3c999af43d52531716484b606d7f47',
  '31d9f8ee81f5a5e63c8691d6bb29e266c465b5ca42cd5f103ef8a0b5f151482b',
  'ddc669425577506605adb39dae0623b205cd1502963c42a3f87842e744effc55',
  '48d11699705e84f2f6190211b1c1efe9fce6341995a4ee34afe8cf241a228564',
  '4541e3c1dd7a9fcbeaf24f7e97976c0b183a73826fad51947b71685200df8c79',
  'e7aafdfba58b40fef735ba19e914044669cc437bcef6626df92a6cf2c88d6630',
  'ee1a9f0566c011521337485ae3731a6478c3cfa09cf693db3e54780379cc0ce2',
  'f4a1dbd2d60d9bf9f227cf21e3c8fed3fa6b2e8962caa7ff2c33f92eda722b6f',
  '19cdab83368c032f602a91f84c181c52ef71dde958c1430a576aa16c3e798693',
]);

/** Words of the published development keys; a key containing one is somebody's copy of them. */
const DEVELOPMENT_KEY_MARKERS = ['dev-only', 'not-a-secret', 'do-not-use-in-production'];

export const SECRET_KEY_MIN_LENGTH = 32;
/**
 * Below this, a key's characters are too few or too skewed to be random. The figure is a plug-in
 * (Shannon) estimate from the key's own character counts: `openssl rand -hex 16` (128 random bits)
 * estimates at about 115, `aaaa…` at 0, a password repeated at well under 96.
 */
const MIN_ESTIMATED_ENTROPY_BITS = 96;

/** What makes a key unfit to be a secret, or undefined when it looks random enough. */
export function secretKeyWeakness(key: string): string | undefined {
  if (key.length < SECRET_KEY_MIN_LENGTH) return `it is shorter than ${SECRET_KEY_MIN_LENGTH} characters`;
  const lower = key.toLowerCase();
  if (DEVELOPMENT_KEY_MARKERS.some((marker) => lower.includes(marker))) return 'it is a published development key';
  if (/(.)\1{5,}/.test(key)) return 'it repeats one character six or more times in a row';
  if (isRepeatedUnit(key)) return 'it is one short pattern repeated';
  if (predictableStepShare(key) > 0.5) return 'most of its characters follow their neighbour in order (like abcd or 1234)';
  if (estimatedEntropyBits(key) < MIN_ESTIMATED_ENTROPY_BITS) return 'it uses too few different characters to be random';
  return undefined;
}

function isRepeatedUnit(key: string): boolean {
  for (let unit = 1; unit <= key.length / 2; unit++) {
    if (key.length % unit === 0 && key.slice(0, unit).repeat(key.length / unit) === key) return true;
  }
  return false;
}

/** Share of neighbouring characters whose codes differ by -1, 0 or +1. */
function predictableStepShare(key: string): number {
  let steps = 0;
  for (let i = 1; i < key.length; i++) if (Math.abs(key.charCodeAt(i) - key.charCodeAt(i - 1)) <= 1) steps++;
  return steps / (key.length - 1);
}

function estimatedEntropyBits(key: string): number {
  const counts = new Map<string, number>();
  for (const char of key) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / key.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return bitsPerChar * key.length;
}

/**
 * Why a credentials file is unfit for production, or undefined. An unreadable file is left to the
 * credential store, which reports it at boot either way.
 */
export function developmentCredentialsProblem(path: string): string | undefined {
  if (resolve(path) === resolve(DEVELOPMENT_CREDENTIALS_FILE)) {
    return `CREDENTIALS_FILE must name this deployment's own credentials file (it is, or falls back to, the development tokens of ${DEVELOPMENT_CREDENTIALS_FILE})`;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  if (holdsDevelopmentToken(text))
    return `CREDENTIALS_FILE ${path} holds development tokens (those of ${DEVELOPMENT_CREDENTIALS_FILE}); issue tokens of this deployment's own`;
  return undefined;
}

/** True when any entry of a credentials file is a development token, in the clear or as its digest. */
export function holdsDevelopmentToken(credentialsJson: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(credentialsJson);
  } catch {
    return false;
  }
  const entries = Object.values((parsed ?? {}) as Record<string, unknown>).flatMap((list) => (Array.isArray(list) ? list : []));
  return entries.some((entry: { token?: unknown; tokenSha256?: unknown }) => {
    const digest =
      typeof entry?.token === 'string'
        ? createHash('sha256').update(entry.token, 'utf8').digest('hex')
        : typeof entry?.tokenSha256 === 'string'
          ? entry.tokenSha256.toLowerCase()
          : undefined;
    return digest !== undefined && DEVELOPMENT_TOKEN_DIGESTS.has(digest);
  });
}

const stanceOf = (args: ValidationArguments) => deploymentStanceOf((args.object as { NODE_ENV?: string }).NODE_ENV);

/**
 * A secret key (an HMAC key): 32+ characters always; in production also not a development key and
 * not weak. The message names the variable and what to set; it never shows the value.
 */
export const IsSecretKey = () =>
  ValidateBy({
    name: 'isSecretKey',
    validator: {
      validate: (value: unknown, args) => {
        if (typeof value !== 'string') return false;
        if (value.length < SECRET_KEY_MIN_LENGTH) return false;
        return stanceOf(args!) === 'development' || secretKeyWeakness(value) === undefined;
      },
      defaultMessage: (args) => {
        const value = typeof args?.value === 'string' ? args.value : '';
        const weakness = secretKeyWeakness(value) ?? 'it is not a string';
        const where = stanceOf(args!) === 'production' && value.length >= SECRET_KEY_MIN_LENGTH ? ` (${STANCE_NOTE})` : '';
        return `${args!.property} is unfit as a secret: ${weakness}${where}; set ${args!.property} to ${SECRET_KEY_MIN_LENGTH}+ random characters of its own, e.g. \`openssl rand -hex 32\``;
      },
    },
  });

/** CREDENTIALS_FILE: in production, never the development file nor a copy of its tokens. */
export const IsNotDevelopmentCredentials = () =>
  ValidateBy({
    name: 'isNotDevelopmentCredentials',
    validator: {
      validate: (value: unknown, args) =>
        stanceOf(args!) === 'development' || (typeof value === 'string' && developmentCredentialsProblem(value) === undefined),
      defaultMessage: (args) => `${developmentCredentialsProblem(String(args!.value))} (${STANCE_NOTE})`,
    },
  });

/**
 * A setting whose default is a placeholder for local runs (a URL under a domain nobody owns): in
 * production it must be set to the deployment's own value, since partners' systems would keep it.
 */
export const IsSetInProduction = (placeholder: string) =>
  ValidateBy({
    name: 'isSetInProduction',
    validator: {
      validate: (value: unknown, args) => stanceOf(args!) === 'development' || value !== placeholder,
      defaultMessage: (args) => `${args!.property} is still the local placeholder ${placeholder} (${STANCE_NOTE}); set it to this deployment's own value`,
    },
  });
