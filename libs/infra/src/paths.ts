import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_PACKAGE_NAME = 'crc-network';

/** Nearest ancestor of `from` (default: this file, so it works from src/ and dist/) holding the project's package.json. */
export function findRepoRoot(from: string = __dirname): string {
  for (const start of [from, process.cwd()]) {
    let dir = path.resolve(start);
    for (;;) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest)) {
        try {
          if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === REPO_PACKAGE_NAME) return dir;
        } catch {
          // unreadable package.json: keep walking up
        }
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Could not find the repository root (a package.json named "${REPO_PACKAGE_NAME}") above ${from}`);
}

/** Machine-wide cache for downloaded/built tools, shared by every checkout. */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'crc-network');
}

export function defaultStartDataDir(env: NodeJS.ProcessEnv, repoRoot: string): string {
  return path.resolve(env.CRC_DATA_DIR || path.join(repoRoot, '.data'));
}

const TEST_DIR_PREFIX = 'crc-infra-test-';

/** Fresh temp dir for one test run; its name carries our pid so later runs can sweep leftovers of killed runs. */
export function makeTestDataDir(): string {
  sweepAbandonedTestDirs();
  return fs.mkdtempSync(path.join(os.tmpdir(), `${TEST_DIR_PREFIX}${process.pid}-`));
}

/** Removes temp dirs of earlier test runs whose owner process is gone (e.g. killed with SIGKILL). */
function sweepAbandonedTestDirs(): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of entries) {
    if (!name.startsWith(TEST_DIR_PREFIX)) continue;
    const owner = Number(name.slice(TEST_DIR_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    try {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie still answers kill(0) but is already dead.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
