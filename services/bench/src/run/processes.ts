import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpuPercent, parseStat, parseStatus, type CpuTicks } from '../domain/proc';
import type { ProcessUsage } from '../domain/report';

/** The kernel's USER_HZ, the unit of /proc/<pid>/stat's times (100 on every usual Linux). */
function ticksPerSecond(): number {
  try {
    const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return hz > 0 ? hz : 100;
  } catch {
    return 100;
  }
}
const HZ = ticksPerSecond();

const readTicks = (pid: number): CpuTicks | undefined => {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // the process is gone
  }
};
const readMemory = (pid: number) => {
  try {
    return parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
};

const MIB = 1024;

/**
 * CPU and memory of the exchange's processes over one step: CPU time from
 * /proc/<pid>/stat at the start and the end, VmRSS sampled every 500 ms for the step's
 * peak, VmHWM (the peak since the process started) at the end.
 */
export class ProcessSampler {
  private readonly start = new Map<string, CpuTicks>();
  private readonly peakKb = new Map<string, number>();
  private readonly startedAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: Readonly<Record<string, number>>) {
    for (const [name, pid] of Object.entries(pids)) {
      const ticks = readTicks(pid);
      if (ticks) this.start.set(name, ticks);
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  /** Stops sampling; the usage of every process still running. */
  finish(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample();
    const wallMs = Date.now() - this.startedAt;
    return Object.entries(this.pids).flatMap(([name, pid]) => {
      const before = this.start.get(name);
      const after = readTicks(pid);
      const memory = readMemory(pid);
      if (!before || !after || !memory) return [];
      return [
        {
          name,
          pid,
          cpuPercent: cpuPercent(before, after, wallMs, HZ),
          peakRssMb: (this.peakKb.get(name) ?? memory.rssKb) / MIB,
          hwmMb: memory.peakRssKb / MIB,
        },
      ];
    });
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const memory = readMemory(pid);
      if (memory) this.peakKb.set(name, Math.max(this.peakKb.get(name) ?? 0, memory.rssKb));
    }
  }
}
