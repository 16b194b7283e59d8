import { cpuPercent, parseCpuModel, parseMemTotalKb, parseStat, parseStatus } from './proc';

const stat = (comm: string, utime: number, stime: number): string =>
  `4242 (${comm}) S 1 4242 4242 0 -1 4194560 1234 0 0 0 ${utime} ${stime} 0 0 20 0 11 0 123456 1048576000 40960 18446744073709551615 1 1 0 0 0 0 0 4096 1260 0 0 0 17 1 0 0 0 0 0`;

describe('reading a process CPU time from /proc/<pid>/stat', () => {
  it.each([
    { comm: 'node', utime: 1500, stime: 250 },
    { comm: 'java', utime: 0, stime: 0 },
    { comm: 'redis-server *:6379', utime: 7, stime: 3 },
    { comm: 'odd) (name', utime: 42, stime: 8 },
  ])('$comm: user $utime and system $stime ticks', ({ comm, utime, stime }) => {
    expect(parseStat(stat(comm, utime, stime))).toEqual({ user: utime, system: stime });
  });

  it.each(['', 'garbage without parentheses', '1 (x) S'])('refuses %j', (text) => {
    expect(() => parseStat(text)).toThrow();
  });
});

describe('reading a process memory from /proc/<pid>/status', () => {
  it.each([
    {
      text: 'Name:\tnode\nVmPeak:\t 1200000 kB\nVmHWM:\t  180224 kB\nVmRSS:\t  150000 kB\nThreads:\t11\n',
      expected: { rssKb: 150000, peakRssKb: 180224 },
    },
    { text: 'Name:\tkthreadd\nThreads:\t1\n', expected: { rssKb: 0, peakRssKb: 0 } },
    { text: 'VmRSS: 12 kB\nVmHWM: 34 kB', expected: { rssKb: 12, peakRssKb: 34 } },
  ])('$expected', ({ text, expected }) => {
    expect(parseStatus(text)).toEqual(expected);
  });
});

describe('CPU use between two readings', () => {
  it.each([
    { before: [0, 0], after: [100, 0], wallMs: 1_000, hz: 100, expected: 100 },
    { before: [100, 50], after: [200, 150], wallMs: 1_000, hz: 100, expected: 200 },
    { before: [0, 0], after: [50, 0], wallMs: 2_000, hz: 100, expected: 25 },
    { before: [0, 0], after: [250, 0], wallMs: 1_000, hz: 250, expected: 100 },
    { before: [10, 10], after: [10, 10], wallMs: 5_000, hz: 100, expected: 0 },
    { before: [0, 0], after: [10, 0], wallMs: 0, hz: 100, expected: 0 },
  ])(
    '$before → $after ticks in $wallMs ms at $hz Hz is $expected %',
    ({ before, after, wallMs, hz, expected }) => {
      const t = ([user, system]: number[]) => ({ user: user!, system: system! });
      expect(cpuPercent(t(before), t(after), wallMs, hz)).toBeCloseTo(expected, 6);
    },
  );
});

describe('describing the machine', () => {
  it.each([
    {
      text: 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\nprocessor\t: 1\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n',
      expected: 'Intel(R) Xeon(R) CPU @ 2.20GHz',
    },
    { text: 'processor\t: 0\nCPU implementer\t: 0x41\n', expected: 'unknown' },
  ])('the CPU model of /proc/cpuinfo is $expected', ({ text, expected }) => {
    expect(parseCpuModel(text)).toBe(expected);
  });

  it.each([
    { text: 'MemTotal:        8142680 kB\nMemFree:  100 kB\n', expected: 8142680 },
    { text: 'MemFree:  100 kB\n', expected: 0 },
  ])('MemTotal of /proc/meminfo is $expected kB', ({ text, expected }) => {
    expect(parseMemTotalKb(text)).toBe(expected);
  });
});
