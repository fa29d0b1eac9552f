import { execFileSync } from 'node:child_process';
import * as os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended: other work on the machine shows here. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface CommitInfo {
  sha: string;
  short: string;
  branch: string;
  /** Files changed but not committed when the run started (the figures are then of the tree, not of the commit). */
  uncommittedChanges: number;
}

const loadAverage = () => os.loadavg().map((l) => Math.round(l * 100) / 100);

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown'}`,
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart: loadAverage(),
  };
}

export function endLoadAverage(machine: MachineInfo): MachineInfo {
  return { ...machine, loadAverageAtEnd: loadAverage() };
}

/** The commit the figures are of, read from git in the repository (unknown outside a checkout). */
export function commitInfo(repoRoot: string): CommitInfo {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const sha = git('rev-parse', 'HEAD');
    const status = git('status', '--porcelain', '--untracked-files=no');
    return { sha, short: sha.slice(0, 7), branch: git('rev-parse', '--abbrev-ref', 'HEAD'), uncommittedChanges: status ? status.split('\n').length : 0 };
  } catch {
    return { sha: 'unknown', short: 'unknown', branch: 'unknown', uncommittedChanges: 0 };
  }
}
