import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureRegistryDistribution,
  findJava21,
  freePort,
  localDir,
  provisionExchangeTopics,
  registerExchangeSchemas,
  repoRoot,
  startRedisServer,
  startRegistry,
  startScratchKafka,
  CCOMPAT_PATH,
  type ManagedProcess,
  type ScratchKafka,
} from '@alert-exchange/devstack';
import { AvroCodec, createKafka, silentLogger, type Kafka } from '@alert-exchange/platform';
import { enrolOrganisation, type Enrolled } from '../api-calls';
import { testStack, uniqueName, waitFor } from '../index';
import { serviceMain, startReadyGateway } from '../service-mains';
import { startReadyService, type ServiceProcess } from '../service-process';

/** The four services of the exchange, each a process the harness may kill and restart. */
export type ServiceName = 'gateway' | 'router' | 'dispatcher' | 'audit';
export const SERVICE_NAMES: readonly ServiceName[] = ['gateway', 'router', 'dispatcher', 'audit'];

/** What a service's /status counts as progress after a restart (its counters start at 0). */
const PROGRESS: Record<Exclude<ServiceName, 'gateway'>, string> = {
  router: 'routed',
  dispatcher: 'delivered',
  audit: 'appended',
};

/** One restart of a service after a kill, and how long it took to do useful work again. */
export interface Restart {
  readonly service: string;
  /** When the kill was sent (ms since epoch). */
  readonly killedAt: number;
  /** When the new process answered /readyz 200. */
  readonly readyAt: number;
  /** Milliseconds from ready to its first progress; undefined while not (yet) measured. */
  recoveryMs: number | undefined;
}

/**
 * A service of the chaos exchange: always on the same port (clients keep their address),
 * started from services/<name>/dist/main.js, killed with SIGKILL and started again at will.
 * Exits the harness did not cause are kept in `crashes`: a crash is a finding.
 */
export class ExchangeService {
  private current: ServiceProcess | undefined;
  private expectedExit = false;
  /** Set by `stop`: background recovery probes give up. */
  private stopped = false;
  /** Unexpected exits: the exit code and the end of stderr. */
  readonly crashes: string[] = [];
  readonly restarts: Restart[] = [];

  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly launch: (port: number) => Promise<ServiceProcess>,
  ) {}

  /** http://127.0.0.1:<port>: the same across restarts. */
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Its process id while it runs. */
  get pid(): number | undefined {
    return this.current?.pid;
  }

  /** Starts the service and waits until /readyz answers 200. */
  async start(): Promise<void> {
    if (this.current) throw new Error(`${this.name} is already running`);
    this.stopped = false;
    const process = await this.launch(this.port);
    this.expectedExit = false;
    this.current = process;
    void process.exited().then((code) => {
      if (this.current !== process) return;
      this.current = undefined;
      if (!this.expectedExit)
        this.crashes.push(`${this.name} exited with ${code}: ${process.stderr().slice(-2_000)}`);
    });
  }

  /** SIGKILL (no shutdown of any kind), then waits for the exit. */
  async kill(): Promise<void> {
    const process = this.current;
    if (!process) return;
    this.expectedExit = true;
    this.current = undefined;
    await process.kill();
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    const process = this.current;
    if (!process) return;
    this.expectedExit = true;
    this.current = undefined;
    await process.stop();
  }

  /**
   * SIGKILL, a pause of `downMs`, then a start; records the restart and measures, in the
   * background, the time from ready to the service's first progress (`progressed`, or for
   * router, dispatcher and audit a counter of their /status rising above 0).
   */
  async killAndRestart(
    downMs: number,
    progressed?: (since: number) => boolean,
    recoveryTimeoutMs = 180_000,
  ): Promise<Restart> {
    const killedAt = Date.now();
    await this.kill();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
    const restart: Restart = {
      service: this.name,
      killedAt,
      readyAt: Date.now(),
      recoveryMs: undefined,
    };
    this.restarts.push(restart);
    const counter = this.name === 'gateway' ? undefined : PROGRESS[this.name];
    const progressedNow = async (): Promise<boolean> => {
      if (progressed) return progressed(restart.readyAt);
      if (!counter) return false;
      const status = (await (await fetch(`${this.base}/status`)).json()) as Record<string, number>;
      return (status[counter] ?? 0) > 0;
    };
    void waitFor(
      `${this.name} to make progress after its restart`,
      async () => (this.stopped ? -1 : (await progressedNow()) ? Date.now() : undefined),
      { timeoutMs: recoveryTimeoutMs, intervalMs: 100 },
    ).then(
      (at) => {
        if (at >= 0) restart.recoveryMs = at - restart.readyAt;
      },
      () => undefined,
    );
    return restart;
  }
}

/** Options of a scratch exchange; `env` adds to or overrides each service's environment. */
export interface ScratchExchangeOptions {
  readonly env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /**
   * Run a schema registry of its own on the scratch broker and register the schemas
   * (outside a jest run: the benchmark); otherwise the test run's shared registry.
   */
  readonly ownRegistry?: boolean;
  /** A JDK 21+ for the own registry (default: the newest under /usr/lib/jvm). */
  readonly registryJavaHome?: string;
}

/**
 * A whole exchange of one scenario's own, every part of which a test may take away:
 * - a scratch Kafka broker (`startScratchKafka`) with every topic of infra/topics.yaml, so
 *   the default topic names are used and nothing is shared with other suites;
 * - a redis-server of its own on a free port, without persistence, so `restartRedis()`
 *   comes back empty (a flush);
 * - the run's shared schema registry (SCHEMA_REGISTRY_URL of the integration setup), or
 *   with `ownRegistry` one of its own on the scratch broker (the benchmark runs outside jest);
 * - gateway, router, dispatcher and audit as processes from services/<name>/dist/main.js,
 *   each a `ExchangeService` on a fixed port (SIGKILL and restart with `service(name)`).
 *
 * Use: `const exchange = await ScratchExchange.start()`, enrol organisations with
 * `enrol`, drive it, and always `await exchange.close()` in afterAll (it stops every
 * process it started, also after a failure). The dispatcher retries on a schedule of
 * seconds (first retry after 500 ms, at most 5 s apart, giving up after 30 min) and allows
 * loopback http webhooks; the audit service checkpoints every 2 s.
 */
export class ScratchExchange {
  readonly codec: AvroCodec;
  /** The Ed25519 seed (base64) the audit service signs checkpoints with. */
  readonly signingSeed = randomBytes(32).toString('base64');
  private readonly services = new Map<ServiceName, ExchangeService>();
  private redisProcess: ManagedProcess | undefined;

  private constructor(
    readonly kafka: ScratchKafka,
    private readonly dir: string,
    readonly redisPort: number,
    /** The registry process when the exchange runs its own (`ownRegistry`). */
    private readonly registry: { process: ManagedProcess; url: string } | undefined,
  ) {
    this.codec = new AvroCodec(this.schemaRegistryUrl);
  }

  /** Starts the broker, Redis, provisions the topics and starts all four services. */
  static async start(options: ScratchExchangeOptions = {}): Promise<ScratchExchange> {
    const kafka = await startScratchKafka();
    const dir = mkdtempSync(join(tmpdir(), 'exchange-scratch-'));
    let registry: { process: ManagedProcess; url: string } | undefined;
    let exchange: ScratchExchange | undefined;
    try {
      if (options.ownRegistry)
        registry = await startOwnRegistry(kafka.brokers, dir, options.registryJavaHome);
      exchange = new ScratchExchange(kafka, dir, await freePort(), registry);
      await provisionExchangeTopics(exchange.client(), [kafka.brokers]);
      if (registry) await registerExchangeSchemas(registry.url);
      await exchange.startRedis();
      await exchange.define(options);
      for (const name of SERVICE_NAMES) await exchange.service(name).start();
    } catch (error) {
      if (exchange) await exchange.close();
      else {
        await registry?.process.stop();
        await kafka.remove();
        rmSync(dir, { recursive: true, force: true });
      }
      throw error;
    }
    return exchange;
  }

  /** The schema registry the services use (its Confluent-compatible API base). */
  get schemaRegistryUrl(): string {
    return this.registry?.url ?? testStack().schemaRegistryUrl;
  }

  /**
   * The process id of every part now running, by name (gateway, router, dispatcher,
   * audit, kafka, redis, and registry when it is the exchange's own): for CPU and memory.
   */
  pids(): Record<string, number> {
    const pids: Record<string, number> = {};
    for (const name of SERVICE_NAMES) {
      const pid = this.service(name).pid;
      if (pid !== undefined) pids[name] = pid;
    }
    if (this.kafka.pid !== undefined) pids.kafka = this.kafka.pid;
    if (this.redisProcess) pids.redis = this.redisProcess.pid;
    if (this.registry) pids.registry = this.registry.process.pid;
    return pids;
  }

  /** redis://127.0.0.1:<port>/0 of the exchange's own Redis. */
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}/0`;
  }

  /** The public base URL (the gateway's; the same across its restarts). */
  get base(): string {
    return this.service('gateway').base;
  }

  /** A Kafka client on the scratch broker that logs nothing. */
  client(clientId = uniqueName('scratch')): Kafka {
    return createKafka({ clientId, brokers: [this.kafka.brokers], logger: silentLogger() });
  }

  service(name: ServiceName): ExchangeService {
    const service = this.services.get(name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  }

  /** Every unexpected exit of any service so far. */
  crashes(): string[] {
    return SERVICE_NAMES.flatMap((name) => this.service(name).crashes);
  }

  /** Every restart of any service so far, in order. */
  restarts(): Restart[] {
    return SERVICE_NAMES.flatMap((name) => this.service(name).restarts).sort(
      (a, b) => a.killedAt - b.killedAt,
    );
  }

  /** Creates an organisation through the admin API (ackWithin PT1H) and issues its key. */
  enrol(
    id: string,
    country: string,
    roles: string[],
    delivery: { mode: 'pull' } | { mode: 'webhook'; url: string },
  ): Promise<Enrolled> {
    return enrolOrganisation(this.base, id, country, roles, delivery);
  }

  /** Waits until the router's directory holds every organisation named. */
  async routerKnows(ids: readonly string[]): Promise<void> {
    const router = this.service('router');
    await waitFor('the router to know the federation', async () => {
      for (const id of ids)
        if ((await fetch(`${router.base}/directory/${id}`)).status !== 200) return undefined;
      return true;
    });
  }

  /** Stops Redis (its data is not persisted) and starts it again on the same port: empty. */
  async restartRedis(): Promise<void> {
    await this.redisProcess?.stop(0);
    this.redisProcess = undefined;
    await this.startRedis();
  }

  /** Stops every service, Redis and the broker, and deletes their data. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.services.values()].map((s) => s.stop()));
    await this.redisProcess?.stop(2_000).catch(() => undefined);
    await this.registry?.process.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
    await this.kafka.remove();
  }

  private async startRedis(): Promise<void> {
    this.redisProcess = await startRedisServer({
      dataDir: join(this.dir, 'redis'),
      logDir: join(this.dir, 'logs'),
      port: this.redisPort,
      persistent: false,
    });
  }

  private async define(options: ScratchExchangeOptions): Promise<void> {
    const common = (port: number): NodeJS.ProcessEnv => ({
      PORT: String(port),
      KAFKA_BROKERS: this.kafka.brokers,
      REDIS_URL: this.redisUrl,
      SCHEMA_REGISTRY_URL: this.schemaRegistryUrl,
    });
    const env = options.env ?? {};
    const launchers: Record<ServiceName, (port: number) => Promise<ServiceProcess>> = {
      gateway: (port) =>
        startReadyGateway({ ...common(port), REDIS_URL: this.redisUrl, ...env.gateway }),
      router: (port) =>
        startReadyService(serviceMain('router'), {
          ...common(port),
          TOPIC_REFRESH_MS: '5000',
          ...env.router,
        }),
      dispatcher: (port) =>
        startReadyService(serviceMain('dispatcher'), {
          ...common(port),
          REDIS_URL: this.redisUrl,
          WEBHOOK_ALLOW_LOOPBACK: 'true',
          WEBHOOK_ALLOW_HTTP: 'true',
          RETRY_INITIAL_DELAY: '500ms',
          RETRY_FACTOR: '2',
          RETRY_MAX_DELAY: '5s',
          RETRY_GIVE_UP_AFTER: '30m',
          RETRY_JITTER: '0.2',
          BREAKER_COOLDOWN: '2s',
          BREAKER_MAX_COOLDOWN: '10s',
          ...env.dispatcher,
        }),
      audit: (port) =>
        startReadyService(serviceMain('audit'), {
          ...common(port),
          REDIS_URL: this.redisUrl,
          AUDIT_SIGNING_SEED: this.signingSeed,
          CHECKPOINT_INTERVAL: '2s',
          ...env.audit,
        }),
    };
    for (const name of SERVICE_NAMES)
      this.services.set(name, new ExchangeService(name, await freePort(), launchers[name]));
  }
}

/** A schema registry on the scratch broker, on free ports, its log in `dir`/logs. */
async function startOwnRegistry(
  brokers: string,
  dir: string,
  javaHome: string | undefined,
): Promise<{ process: ManagedProcess; url: string }> {
  const root = repoRoot();
  const port = await freePort();
  const process = await startRegistry({
    home: ensureRegistryDistribution(root, localDir(root)),
    java: findJava21(javaHome),
    port,
    managementPort: await freePort(),
    kafkaBrokers: brokers,
    logDir: join(dir, 'logs'),
  });
  return { process, url: `http://127.0.0.1:${port}${CCOMPAT_PATH}` };
}
