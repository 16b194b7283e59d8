/**
 * @alert-exchange/bench: the benchmark of issue 11. The figures' arithmetic is pure
 * (`domain/`: percentiles, verdicts, the rate search, the report, Markdown and the chart);
 * `run/` drives a scratch exchange and the raw Kafka floor and reads /proc.
 */
export { nearestRank, ratio, summarise, type LatencySummary } from './domain/percentiles';
export { cpuPercent, parseCpuModel, parseMemTotalKb, parseStat, parseStatus } from './domain/proc';
export {
  DEFAULT_LADDER,
  maxSustainedRate,
  nextSustainedRate,
  planBench,
  type BenchPlan,
  type PlanOptions,
  type Trial,
} from './domain/schedule';
export {
  judgeStep,
  measureStep,
  type Arrival,
  type Sent,
  type StepFigures,
  type Verdict,
} from './domain/measure';
export {
  buildReport,
  judgeGoals,
  ratios,
  type BenchReport,
  type Goal,
  type Machine,
  type ProcessUsage,
  type Ratio,
  type StepResult,
} from './domain/report';
export { renderMarkdown } from './domain/markdown';
export { decades, renderChart, reportChart, type Series } from './domain/chart';
export { runBench, plannedSeconds, type BenchProgress } from './run/bench';
export { writeReport, type WrittenReport } from './run/output';
