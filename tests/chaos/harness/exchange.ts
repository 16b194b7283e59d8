import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  startRedisServer,
  startScratchKafka,
  type ManagedProcess,
  type ScratchKafka,
} from '@alert-exchange/devstack';
import {
  AvroCodec,
  connectAdmin,
  createKafka,
  silentLogger,
  type Kafka,
} from '@alert-exchange/platform';
import { loadTopicDeclaration, provisionTopics } from '@alert-exchange/provisioning';
import {
  startReadyService,
  testStack,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@alert-exchange/testing';
import { startReadyGateway } from '../../../services/gateway/src/gateway-process.test-helper';
import { enrolOrganisation, serviceMain, type Enrolled } from '../../pipeline.test-helper';

const TOPICS = join(__dirname, '..', '..', '..', 'infra', 'topics.yaml');

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
export class ChaosService {
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

/** Options of a chaos exchange; `env` adds to or overrides each service's environment. */
export interface ChaosExchangeOptions {
  readonly env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
}

/**
 * A whole exchange of one scenario's own, every part of which a test may take away:
 * - a scratch Kafka broker (`startScratchKafka`) with every topic of infra/topics.yaml, so
 *   the default topic names are used and nothing is shared with other suites;
 * - a redis-server of its own on a free port, without persistence, so `restartRedis()`
 *   comes back empty (a flush);
 * - the run's shared schema registry (SCHEMA_REGISTRY_URL of the integration setup);
 * - gateway, router, dispatcher and audit as processes from services/<name>/dist/main.js,
 *   each a `ChaosService` on a fixed port (SIGKILL and restart with `service(name)`).
 *
 * Use: `const exchange = await ChaosExchange.start()`, enrol organisations with
 * `enrol`, drive it, and always `await exchange.close()` in afterAll (it stops every
 * process it started, also after a failure). The dispatcher retries on a schedule of
 * seconds (first retry after 500 ms, at most 5 s apart, giving up after 30 min) and allows
 * loopback http webhooks; the audit service checkpoints every 2 s.
 */
export class ChaosExchange {
  readonly codec = new AvroCodec(testStack().schemaRegistryUrl);
  /** The Ed25519 seed (base64) the audit service signs checkpoints with. */
  readonly signingSeed = randomBytes(32).toString('base64');
  private readonly services = new Map<ServiceName, ChaosService>();
  private redisProcess: ManagedProcess | undefined;

  private constructor(
    readonly kafka: ScratchKafka,
    private readonly redisDir: string,
    readonly redisPort: number,
  ) {}

  /** Starts the broker, Redis, provisions the topics and starts all four services. */
  static async start(options: ChaosExchangeOptions = {}): Promise<ChaosExchange> {
    const kafka = await startScratchKafka();
    const exchange = new ChaosExchange(
      kafka,
      mkdtempSync(join(tmpdir(), 'exchange-chaos-redis-')),
      await freePort(),
    );
    try {
      const admin = await connectAdmin(exchange.client(), [kafka.brokers]);
      await provisionTopics(admin, loadTopicDeclaration(TOPICS)).finally(() => admin.disconnect());
      await exchange.startRedis();
      await exchange.define(options);
      for (const name of SERVICE_NAMES) await exchange.service(name).start();
    } catch (error) {
      await exchange.close();
      throw error;
    }
    return exchange;
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
  client(clientId = uniqueName('chaos')): Kafka {
    return createKafka({ clientId, brokers: [this.kafka.brokers], logger: silentLogger() });
  }

  service(name: ServiceName): ChaosService {
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
    rmSync(this.redisDir, { recursive: true, force: true });
    await this.kafka.remove();
  }

  private async startRedis(): Promise<void> {
    this.redisProcess = await startRedisServer({
      dataDir: join(this.redisDir, 'data'),
      logDir: join(this.redisDir, 'logs'),
      port: this.redisPort,
      persistent: false,
    });
  }

  private async define(options: ChaosExchangeOptions): Promise<void> {
    const common = (port: number): NodeJS.ProcessEnv => ({
      PORT: String(port),
      KAFKA_BROKERS: this.kafka.brokers,
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
      this.services.set(name, new ChaosService(name, await freePort(), launchers[name]));
  }
}
