import type { Admin } from 'kafkajs';
import type { Logger } from '../logging';

/**
 * The topics whose names match `pattern`, listed again every `refreshMs`. kafkajs does not
 * see topics created after a consumer subscribed with a regular expression, so consumers
 * that must follow new topics (alerts.<cc> for a country added later) subscribe to the
 * explicit list and restart when `onChange` says it grew.
 */
export class TopicWatch {
  private topics: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: Array<(topics: readonly string[]) => void> = [];

  private constructor(
    private readonly admin: Admin,
    private readonly pattern: RegExp,
    private readonly logger: Logger,
  ) {}

  /** Lists the topics once (failing if Kafka cannot answer), then keeps listing them. */
  static async open(
    admin: Admin,
    pattern: RegExp,
    logger: Logger,
    refreshMs = 10_000,
  ): Promise<TopicWatch> {
    const watch = new TopicWatch(admin, pattern, logger);
    watch.topics = await watch.matching();
    watch.timer = setInterval(() => void watch.refresh(), refreshMs);
    watch.timer.unref();
    return watch;
  }

  /** The matching topics, sorted. */
  list(): readonly string[] {
    return this.topics;
  }

  /** Calls `listener` with the new list whenever it changes. */
  onChange(listener: (topics: readonly string[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Restarts a consumer on every change, one restart at a time: kafkajs does not see
   * topics created after it subscribed. A restart that fails ends the process (its
   * supervisor starts it again), since it would otherwise consume nothing.
   */
  restartOnChange(
    restart: (topics: readonly string[]) => Promise<void>,
    logger: { info(o: object, m: string): void; fatal(o: object, m: string): void },
  ): void {
    let restarting = Promise.resolve();
    this.onChange((list) => {
      restarting = restarting
        .then(async () => {
          logger.info({ topics: list.length }, 'Topics changed; resubscribing');
          await restart(list);
        })
        .catch((error: unknown) => {
          logger.fatal({ err: { message: (error as Error).message } }, 'Could not resubscribe');
          process.exit(1);
        });
    });
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async matching(): Promise<string[]> {
    return (await this.admin.listTopics()).filter((name) => this.pattern.test(name)).sort();
  }

  private async refresh(): Promise<void> {
    try {
      const topics = await this.matching();
      if (topics.join() === this.topics.join()) return;
      this.topics = topics;
      for (const listener of this.listeners) listener(topics);
    } catch (error) {
      // Keep the last known list: a broker outage is not a change of topics.
      this.logger.warn({ err: { message: (error as Error).message } }, 'Could not list topics');
    }
  }
}
