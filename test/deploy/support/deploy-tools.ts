import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTool, ToolchainError } from '../../../libs/infra/src/toolchain';

/** The kustomize that `kubectl apply -k` embeds (kubectl 1.34), so the checks render what a deploy applies. */
export const KUSTOMIZE_VERSION = 'v5.7.1';
/** The operator deploy/k8s is written for (deploy/k8s/README.md): it runs Kafka 3.9, and its API model and CRD generator are both on Maven Central. */
export const STRIMZI_VERSION = '0.45.0';

/** Strimzi's own build arguments for its CRDs (its api/pom.xml), per group of kinds. */
const STRIMZI_CRDS: Array<{ apiVersions: string; kinds: Record<string, string> }> = [
  {
    apiVersions: 'v1beta2',
    kinds: {
      'kafka.yaml': 'io.strimzi.api.kafka.model.kafka.Kafka',
      'kafkanodepool.yaml': 'io.strimzi.api.kafka.model.nodepool.KafkaNodePool',
    },
  },
  {
    apiVersions: 'v1alpha1,v1beta1,v1beta2',
    kinds: {
      'kafkatopic.yaml': 'io.strimzi.api.kafka.model.topic.KafkaTopic',
      'kafkauser.yaml': 'io.strimzi.api.kafka.model.user.KafkaUser',
    },
  },
];

type Log = (line: string) => void;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The kustomize binary, built once from its Go module (`go install`, about a minute on two cores)
 * into ~/.cache/crc-network, then reused.
 */
export async function ensureKustomize(cacheRoot: string, log: Log): Promise<string> {
  const dir = path.join(cacheRoot, `kustomize-${KUSTOMIZE_VERSION}`);
  const binary = path.join(dir, 'kustomize');
  if (isExecutable(binary)) return binary;

  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  log(`kustomize ${KUSTOMIZE_VERSION}: building it with Go (first run only; about a minute)...`);
  const started = Date.now();
  let result;
  try {
    result = await runTool('go', ['install', `sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}`], {
      cwd: os.tmpdir(),
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod' },
    });
  } catch (error) {
    throw new ToolchainError(`The Kubernetes manifest checks build kustomize with Go ("go" on PATH), which failed to run: ${(error as Error).message}`);
  }
  if (result.code !== 0 || !isExecutable(path.join(staging, 'kustomize'))) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`Building kustomize ${KUSTOMIZE_VERSION} failed (exit ${result.code}):\n${result.tail.join('\n')}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  log(`kustomize ${KUSTOMIZE_VERSION}: built in ${Math.round((Date.now() - started) / 1000)} s, cached in ${dir}`);
  return binary;
}

/**
 * Strimzi's CustomResourceDefinitions, generated from its Java model (io.strimzi:api on Maven
 * Central) with its own CRD generator and arguments: the same OpenAPI schemas its released CRDs
 * carry, without downloading them. Generated once per pom (its hash is the cache key); returns the
 * directory of the YAML files.
 */
export async function ensureStrimziCrds(repoRoot: string, cacheRoot: string, log: Log): Promise<string> {
  const pom = path.join(repoRoot, 'test/deploy/strimzi/pom.xml');
  const hash = createHash('sha256').update(fs.readFileSync(pom)).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot, `strimzi-${STRIMZI_VERSION}`, `crds-${hash}`);
  const complete = path.join(dir, 'complete');
  if (fs.existsSync(complete)) return dir;

  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  log(`Strimzi ${STRIMZI_VERSION}: resolving its API model with Maven and generating its CRDs (first run only; about 30 s)...`);
  const classpathFile = path.join(staging, 'classpath.txt');
  const resolved = await runTool('mvn', ['-B', '-q', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`], {
    cwd: path.dirname(pom),
  }).catch((error: Error) => {
    throw new ToolchainError(`The Strimzi manifest checks need Maven ("mvn" on PATH) once, which failed to run: ${error.message}`);
  });
  if (resolved.code !== 0 || !fs.existsSync(classpathFile)) {
    throw new Error(`Maven could not resolve Strimzi ${STRIMZI_VERSION}'s API model (exit ${resolved.code}):\n${resolved.tail.join('\n')}`);
  }
  const classpath = fs.readFileSync(classpathFile, 'utf8').trim();
  for (const group of STRIMZI_CRDS) {
    const generated = await runTool('java', [
      '-cp',
      classpath,
      'io.strimzi.crdgenerator.CrdGenerator',
      '--label',
      'app:strimzi',
      '--label',
      'strimzi.io/crd-install:true',
      '--target-kube',
      '1.16+',
      '--crd-api-version',
      'v1',
      '--api-versions',
      group.apiVersions,
      '--storage-version',
      'v1beta2',
      '--yaml',
      ...Object.entries(group.kinds).map(([file, cls]) => `${cls}=${path.join(staging, file)}`),
    ]);
    if (generated.code !== 0) throw new Error(`Generating Strimzi's CRDs failed (exit ${generated.code}):\n${generated.tail.join('\n')}`);
  }
  fs.writeFileSync(path.join(staging, 'complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  log(`Strimzi ${STRIMZI_VERSION}: CRDs cached in ${dir}`);
  return dir;
}

/** A command-line tool of the npm registry, installed apart from the project from its own lockfile. */
interface LockedNodeTool {
  /** What the log calls it. */
  label: string;
  /** The folder of its package.json and package-lock.json, in the repository. */
  source: string;
  /** The package whose version names the cache folder. */
  packageName: string;
  /** Its executable in node_modules/.bin. */
  bin: string;
  /** The cache folder's name before the version. */
  cacheName: string;
}

/**
 * Installs a linter once from its own lockfile into ~/.cache/crc-network rather than into the
 * project: no service loads it. Keyed by the lockfile's hash; returns the binary.
 */
async function ensureLockedNodeTool(tool: LockedNodeTool, repoRoot: string, cacheRoot: string, log: Log): Promise<string> {
  const source = path.join(repoRoot, tool.source);
  const lock = fs.readFileSync(path.join(source, 'package-lock.json'));
  const version = (JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[
    tool.packageName
  ];
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const dir = path.join(cacheRoot, `${tool.cacheName}-${version}`, `install-${hash}`);
  const binary = path.join(dir, 'node_modules', '.bin', tool.bin);
  if (fs.existsSync(path.join(dir, 'complete')) && isExecutable(binary)) return binary;

  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(source, file), path.join(staging, file));
  log(`${tool.label} ${version}: installing it from its lockfile (first run only; up to 30 s)...`);
  // No install scripts: the linters need none (one of Spectral's dependencies would only send analytics).
  const installed = await runTool('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: staging });
  if (installed.code !== 0 || !isExecutable(path.join(staging, 'node_modules', '.bin', tool.bin))) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`Installing ${tool.label} ${version} failed (exit ${installed.code}):\n${installed.tail.join('\n')}`);
  }
  fs.writeFileSync(path.join(staging, 'complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  log(`${tool.label} ${version}: cached in ${dir}`);
  return binary;
}

/** Spectral's command line (the OpenAPI linter, `spectral:oas`): 242 packages, pinned in test/deploy/spectral. */
export function ensureSpectral(repoRoot: string, cacheRoot: string, log: Log): Promise<string> {
  return ensureLockedNodeTool(
    { label: 'Spectral', source: 'test/deploy/spectral', packageName: '@stoplight/spectral-cli', bin: 'spectral', cacheName: 'spectral' },
    repoRoot,
    cacheRoot,
    log,
  );
}

/**
 * Redocly's command line (the second OpenAPI linter, its `recommended` ruleset): one bundled
 * package, pinned in test/deploy/redocly. It needs Node 20.19+ or 22.12+.
 */
export function ensureRedocly(repoRoot: string, cacheRoot: string, log: Log): Promise<string> {
  return ensureLockedNodeTool(
    { label: 'Redocly CLI', source: 'test/deploy/redocly', packageName: '@redocly/cli', bin: 'redocly', cacheName: 'redocly' },
    repoRoot,
    cacheRoot,
    log,
  );
}
