import * as fs from 'node:fs';
import * as os from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used so far (user + system), from /proc; NaN when it is gone or not Linux. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** Pids of a process's live children (PostgreSQL's backends are the postmaster's). */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return children;
  }
  for (const entry of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** The whole machine's busy and total CPU seconds so far (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy: busy / TICKS_PER_SECOND, total: (busy + idle + iowait) / TICKS_PER_SECOND };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

export interface CpuWindow {
  /** Cores kept busy by each named process (or group of processes) over the window. */
  processes: Record<string, number>;
  /** Share of the machine's CPU busy over the window, anyone's work included (0 to 1). */
  machineBusy: number;
  /** Cores of the machine. */
  machineCores: number;
  /** Cores kept busy by processes not named above: other work on a shared machine, and the kernel. */
  otherCores: number;
  seconds: number;
}

/**
 * Measures how busy some processes and the machine are over a window of work: where the time goes
 * when a target is missed (a process at one core is bound by its own CPU, a machine at 100% by all).
 */
export async function measureCpu<T>(groups: Record<string, () => number[]>, work: () => Promise<T>): Promise<{ result: T; cpu: CpuWindow }> {
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + (processCpuSeconds(pid) || 0), 0);
  const before = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids())]));
  const machineBefore = machineCpuSeconds();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const machineAfter = machineCpuSeconds();
  const processes = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, Math.max(0, (sum(pids()) - before[name]) / seconds)]));
  const machineBusy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
  const machineCores = os.cpus().length;
  const ours = Object.values(processes).reduce((total, c) => total + c, 0);
  return { result, cpu: { processes, machineBusy, machineCores, otherCores: Math.max(0, machineBusy * machineCores - ours), seconds } };
}
