// CPU time by process, read from Linux's /proc: where a benchmark's CPU went, which holds steadier than throughput
// on a machine whose speed drifts. Elsewhere (no /proc) every reading is undefined and the benchmark says so.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime and stime in clock ticks; 100 a second on every distribution we run on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/**
 * A process's /proc/<pid>/stat fields from the third on (the state), past the command, which may hold spaces inside
 * its parentheses; undefined when the process is gone or /proc is not there.
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** utime (the 14th field) and stime (the 15th) in seconds. */
const cpuSecondsOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;

/** CPU seconds (user + system) a process has used so far, or undefined when it is gone or /proc is not there. */
export function processCpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields && cpuSecondsOf(fields);
}

/** The parent's process id (the 4th field), or undefined when the process is gone or /proc is not there. */
export function parentPid(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields && Number(fields[1]);
}

/**
 * CPU seconds so far of a process and its children, by process id: a PostgreSQL server is its postmaster and the
 * backends it forked, and other clusters on the machine are not counted.
 */
export function processTreeCpu(rootPid: number): Map<number, number> | undefined {
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return undefined;
  }
  const cpu = new Map<number, number>();
  for (const pid of pids) {
    // One read of each process's stat: its parent and its CPU time together.
    const fields = statFields(pid);
    if (fields && (pid === rootPid || Number(fields[1]) === rootPid)) cpu.set(pid, cpuSecondsOf(fields));
  }
  return cpu;
}

/** CPU seconds a process tree used between two readings; a process that ended in between takes its share with it. */
export function treeCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds the whole machine has been busy (all cores, everything but idle and I/O wait) and its core count. */
export function machineCpuSeconds(): { busy: number; cores: number } | undefined {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const [, ...ticks] = lines[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal …
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const all = ticks.slice(0, 8).reduce((sum, t) => sum + t, 0);
    return { busy: (all - idle) / TICKS_PER_SECOND, cores: lines.filter((line) => /^cpu\d+ /.test(line)).length };
  } catch {
    return undefined;
  }
}
