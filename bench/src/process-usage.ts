import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory of one process, from /proc/<pid>/status, in MiB. */
export interface ProcessMemory {
  rssMiB: number;
  /** The kernel's high-water mark of RSS since the process started. */
  hwmMiB: number;
}

export function readProcessMemory(pid: number): ProcessMemory | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

let ticksPerSecond: number | null = null;

/** CPU seconds (user + system) the process and its exited children have used so far. */
export function readProcessCpuSeconds(pid: number): number | null {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name: state is field 3, utime 14, stime 15, and the reaped children's cutime 16
  // and cstime 17 (1-based, as in proc(5)); children count once they exited, e.g. a finished wrk run.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / ticksPerSecond;
}

/**
 * Milliseconds the process's main thread has spent runnable but waiting for a CPU (/proc/<pid>/schedstat,
 * second field, ns). It grows when something else holds the CPU: the measure of a contended machine.
 */
export function readRunQueueWaitMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Number(fields[1]) / 1e6;
  } catch {
    return null;
  }
}

/** Samples a process's RSS on an interval and keeps the peak; `mark()` also returns the peak since the last mark. */
export class RssSampler {
  private peak = 0;
  private peakSinceMark = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): number {
    const memory = readProcessMemory(this.pid);
    if (!memory) return 0;
    this.peak = Math.max(this.peak, memory.rssMiB);
    this.peakSinceMark = Math.max(this.peakSinceMark, memory.rssMiB);
    return memory.rssMiB;
  }

  /** Peak RSS since the previous mark (or the start), in MiB; starts a new window. */
  mark(): number {
    this.sample();
    const peak = this.peakSinceMark;
    this.peakSinceMark = 0;
    return peak;
  }

  stop(): { peakMiB: number; hwmMiB: number | null } {
    this.sample();
    clearInterval(this.timer);
    return { peakMiB: this.peak, hwmMiB: readProcessMemory(this.pid)?.hwmMiB ?? null };
  }
}
