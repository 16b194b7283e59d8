import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';
import { parseCpuModel, parseMemTotalKb } from '../domain/proc';
import type { Machine } from '../domain/report';

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** The machine the figures come from: CPUs (nproc), CPU model, memory, Node, kernel, load. */
export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    cpuModel: parseCpuModel(read('/proc/cpuinfo')),
    memoryGb: parseMemTotalKb(read('/proc/meminfo')) / 1024 / 1024,
    node: process.version,
    kernel: release(),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
