/** CPU time of a process from /proc/<pid>/stat, in clock ticks (user and system). */
export interface CpuTicks {
  readonly user: number;
  readonly system: number;
}

/** Memory of a process from /proc/<pid>/status, in kibibytes. */
export interface Memory {
  /** VmRSS: resident now. */
  readonly rssKb: number;
  /** VmHWM: the peak resident set since the process started. */
  readonly peakRssKb: number;
}

/**
 * utime and stime of /proc/<pid>/stat (proc(5): fields 14 and 15). The command name
 * (field 2) is in parentheses and may hold spaces and parentheses itself, so the fields are
 * counted from the last ')'.
 */
export function parseStat(text: string): CpuTicks {
  const end = text.lastIndexOf(')');
  if (end < 0) throw new Error('not a /proc/<pid>/stat line');
  // After ')' come field 3 (state) onwards: utime is field 14, stime 15.
  const fields = text
    .slice(end + 1)
    .trim()
    .split(/\s+/);
  const user = Number(fields[14 - 3]);
  const system = Number(fields[15 - 3]);
  if (!Number.isFinite(user) || !Number.isFinite(system))
    throw new Error('no utime/stime in /proc/<pid>/stat');
  return { user, system };
}

/** VmRSS and VmHWM of /proc/<pid>/status (both "kB"); 0 for a line that is absent. */
export function parseStatus(text: string): Memory {
  const kb = (name: string): number => {
    const match = new RegExp(`^${name}:\\s*(\\d+)\\s*kB`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  };
  return { rssKb: kb('VmRSS'), peakRssKb: kb('VmHWM') };
}

/**
 * Percent of one core used between two readings `wallMs` apart (200 % is two cores fully
 * busy); `ticksPerSecond` is the kernel's USER_HZ (getconf CLK_TCK, 100 on Linux).
 */
export function cpuPercent(
  before: CpuTicks,
  after: CpuTicks,
  wallMs: number,
  ticksPerSecond = 100,
): number {
  if (wallMs <= 0) return 0;
  const ticks = after.user + after.system - (before.user + before.system);
  return (ticks / ticksPerSecond / (wallMs / 1_000)) * 100;
}

/** The first `model name` of /proc/cpuinfo ('unknown' without one). */
export function parseCpuModel(cpuinfo: string): string {
  return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
}

/** MemTotal of /proc/meminfo in kibibytes (0 without one). */
export function parseMemTotalKb(meminfo: string): number {
  return Number(/^MemTotal:\s*(\d+)\s*kB/m.exec(meminfo)?.[1] ?? 0);
}
