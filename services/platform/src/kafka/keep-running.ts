import type { Logger } from '../logging';

/**
 * How long to wait before restart attempt `attempt` (1, 2, …) of a component that
 * stopped: `initialMs`, doubling, never more than `maxMs`. Pure; no jitter, since a
 * service restarts one component (instances of it wait on the broker, not on each other).
 */
export interface RestartPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialMs: 1_000, maxMs: 30_000 };

export function restartDelayMs(attempt: number, policy: RestartPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt ${attempt}`);
  // 2 ** 40 ms is decades: past it the cap holds anyway, and the power stays finite.
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt - 1, 40));
}

/** What a supervised component does; `start` is called again after every `stop`. */
export interface Supervised {
  /** Starts (connects, restores what it needs, begins consuming). */
  start(): Promise<void>;
  /** Releases everything `start` took; must not throw when `start` half failed. */
  stop(): Promise<void>;
}

/**
 * Keeps a Kafka-consuming component running (docs/RELIABILITY.md, "Broker outages"):
 * when it reports that it stopped for good (a consumer crash kafkajs will not restart, a
 * transaction in an unknown state), its `stop` and `start` run again, after 1 s, 2 s, 4 s
 * … at most 30 s apart, for as long as it takes the broker to come back. The process
 * never exits on its own for that: it stays alive and says so on /readyz (`running`), so
 * that a supervisor (Kubernetes, the start command) neither loses it nor restarts it in a
 * loop while the broker is away. What the component had not committed is read again from
 * Kafka by the fresh start; nothing is lost and, the writes being transactional or
 * idempotent on stable ids, nothing is doubled.
 */
export class KeepRunning {
  private pending: Promise<void> | undefined;
  private stopped = false;
  private up = false;
  /** Restarts done since start, for /status and tests. */
  restarts = 0;

  constructor(
    private readonly name: string,
    private readonly component: Supervised,
    private readonly logger: Logger,
    private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** The first start: its failure is the caller's (a service that cannot start says so). */
  async start(): Promise<void> {
    await this.component.start();
    this.up = true;
  }

  /** False while a restart is under way: for a readiness check. */
  get running(): boolean {
    return this.up && !this.pending;
  }

  /** True from a reported stop until the restart succeeds: `start` is then a restart. */
  get restarting(): boolean {
    return this.pending !== undefined;
  }

  /**
   * The component stopped (`error` says why): restart it, with backoff, until a start
   * succeeds. Reports during a restart are one: the restart under way takes them.
   */
  failed(error: unknown): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.pending ??= this.restart(error).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Stops for good (shutdown); a restart under way gives up at its next step. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.up = false;
    await this.component.stop();
  }

  private async restart(error: unknown): Promise<void> {
    this.up = false;
    this.logger.error({ component: this.name, err: messageOf(error) }, 'Stopped; restarting');
    for (let attempt = 1; !this.stopped; attempt++) {
      await this.component.stop().catch(() => undefined);
      const delay = restartDelayMs(attempt, this.policy);
      await this.sleep(delay);
      if (this.stopped) return;
      try {
        await this.component.start();
        if (this.stopped) {
          await this.component.stop();
          return;
        }
        this.up = true;
        this.restarts++;
        this.logger.info({ component: this.name, attempt }, 'Restarted');
        return;
      } catch (cause) {
        this.logger.warn(
          {
            component: this.name,
            attempt,
            nextInMs: restartDelayMs(attempt + 1, this.policy),
            err: messageOf(cause),
          },
          'Restart failed; trying again',
        );
      }
    }
  }
}

/** An error's message only: a Kafka error's cause chain can carry record payloads. */
function messageOf(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}
