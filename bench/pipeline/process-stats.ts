/**
 * CPU time and peak resident set of a running process, read from /proc (Linux): what a process
 * we spawned has used so far, worker threads included.
 */
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux build). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  cpuSeconds: number;
  /** VmHWM: the peak resident set so far. */
  peakRssBytes: number;
}

export function readProcessUsage(pid: number): ProcessUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at "state"; utime and stime are
  // fields 14 and 15 of the line, so 12th and 13th after the name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, peakRssBytes: hwm ? Number(hwm[1]) * 1024 : 0 };
}
