import { judgeStep, measureStep, type Arrival, type Sent } from './measure';
import type { Machine, StepResult } from './report';
import { planBench } from './schedule';

export const MACHINE: Machine = {
  cpus: 2,
  cpuModel: 'Test CPU @ 2.0GHz',
  memoryGb: 7.8,
  node: 'v20.19.0',
  kernel: '6.1.0',
  loadAverage: [1.5, 1.2, 0.9],
};

export const PLAN = planBench();

/**
 * A step of `alerts` alerts at `rate`, each delivered to `fanOut` recipients `latencyMs`
 * after its send (the k-th recipient k ms later) and acknowledged 5 ms after that.
 */
export function step(
  kind: StepResult['kind'],
  phase: StepResult['phase'],
  rate: number,
  latencyMs: number,
  { alerts = 100, fanOut = 10, lose = 0 }: { alerts?: number; fanOut?: number; lose?: number } = {},
): StepResult {
  const sent: Sent[] = [];
  const arrivals: Arrival[] = [];
  const ackedAt = new Map<string, number>();
  for (let i = 0; i < alerts; i++) {
    const at = (i * 1_000) / rate;
    sent.push({ eventId: `e${i}`, sentAt: at, acceptedAt: at + 2 });
    for (let k = 0; k < fanOut; k++) {
      if (i * fanOut + k < lose) continue;
      arrivals.push({
        recipientId: `r${k}`,
        deliveryId: `d${i}-${k}`,
        eventId: `e${i}`,
        at: at + latencyMs + k,
      });
      ackedAt.set(`r${k} d${i}-${k}`, at + latencyMs + k + 5);
    }
  }
  const figures = measureStep({ sent, arrivals, ackedAt, fanOut });
  return {
    kind,
    phase,
    targetRate: rate,
    seconds: alerts / rate,
    figures,
    verdict: judgeStep(figures, rate, 10_000, kind === 'exchange'),
    processes: [
      { name: 'gateway', pid: 10, cpuPercent: rate / 5, peakRssMb: 120, hwmMb: 130 },
      { name: 'kafka', pid: 11, cpuPercent: rate / 10, peakRssMb: 600, hwmMb: 610 },
    ],
  };
}
