#!/usr/bin/env node
/* eslint-disable no-console -- this is the operator's command line */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { createKafka, createLogger } from '@alert-exchange/platform';
import { startDemoReceiver } from './demo-receiver';
import { seedDemoFederation } from './demo-seeding';
import { ensureKafkaJars } from './kafka';
import { localDir, repoRoot } from './paths';
import { isAlive, startProcess, type ManagedProcess } from './processes';
import { provisionExchangeTopics, registerExchangeSchemas } from './provision';
import { ensureRegistryDistribution, findJava21 } from './registry';
import { DEFAULT_PORTS, startStack } from './stack';
import { readState, reapOrphans, stopFromState, writeState } from './state';
import { isPortOpen, waitUntil } from './wait';

const root = repoRoot();
const local = localDir(root);
const stackDir = join(local, 'stack');
const infraState = join(stackDir, 'infra.json');
const servicesState = join(stackDir, 'services.json');

/** The exchange's own services, in start order, each a compiled package's dist/main.js. */
const SERVICES = ['gateway', 'router', 'dispatcher', 'audit'] as const;
/** Health and status ports of the router and dispatcher; the gateway's is the public --port. */
const ROUTER_PORT = 8082;
const DISPATCHER_PORT = 8083;
const AUDIT_PORT = 8084;
/** The demo webhook organisations' endpoint (DEMO_WEBHOOK_RECEIVER). */
const DEMO_RECEIVER_PORT = 8099;
const SERVICE_PORTS: Record<string, number> = {
  router: ROUTER_PORT,
  dispatcher: DISPATCHER_PORT,
  audit: AUDIT_PORT,
};

/**
 * The stack's secrets, made once and kept in `.local/stack/credentials.json` (mode 600):
 * the bootstrap operator key, the audit checkpoints' Ed25519 signing seed and the master
 * key of the cases' data keys (docs/PRIVACY.md). A file from before a secret existed gets
 * it added.
 */
function stackSecrets(): { key: string; auditSeed: string; masterKey: string; file: string } {
  const file = join(stackDir, 'credentials.json');
  mkdirSync(stackDir, { recursive: true });
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)
    : {};
  const secrets = {
    EXCHANGE_OPERATOR_KEY:
      stored.EXCHANGE_OPERATOR_KEY ?? `axk_${randomBytes(32).toString('base64url')}`,
    AUDIT_SIGNING_SEED: stored.AUDIT_SIGNING_SEED ?? randomBytes(32).toString('base64'),
    PERSONAL_DATA_MASTER_KEY: stored.PERSONAL_DATA_MASTER_KEY ?? randomBytes(32).toString('base64'),
  };
  if (Object.entries(secrets).some(([name, value]) => stored[name] !== value))
    writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2), { mode: 0o600 });
  return {
    key: secrets.EXCHANGE_OPERATOR_KEY,
    auditSeed: secrets.AUDIT_SIGNING_SEED,
    masterKey: secrets.PERSONAL_DATA_MASTER_KEY,
    file,
  };
}

async function stopAll(): Promise<string[]> {
  return [...(await stopFromState(servicesState)), ...(await stopFromState(infraState))];
}

async function up(options: {
  port: string;
  host: string;
  otlp?: string;
  tracesFile?: string;
}): Promise<void> {
  for (const file of [infraState, servicesState]) {
    const state = readState(file);
    if (state && isAlive(state.ownerPid)) {
      throw new Error(
        `The exchange is already running (pid ${state.ownerPid}); stop it with: node services/devstack/dist/cli.js stop`,
      );
    }
  }
  const leftovers = await stopAll();
  if (leftovers.length > 0)
    console.log(`Stopped leftovers of an earlier run: ${leftovers.join(', ')}`);
  const port = Number(options.port);
  const busy = [];
  for (const [name, p] of Object.entries({
    ...DEFAULT_PORTS,
    gateway: port,
    ...SERVICE_PORTS,
    'demo receiver': DEMO_RECEIVER_PORT,
  })) {
    if (await isPortOpen(p)) busy.push(`${name} ${p}`);
  }
  if (busy.length > 0) throw new Error(`Ports already in use on 127.0.0.1: ${busy.join(', ')}`);

  const stack = await startStack({
    dir: stackDir,
    stateFile: infraState,
    ports: DEFAULT_PORTS,
    persistentRedis: true,
    ...(process.env.REGISTRY_JAVA_HOME ? { registryJavaHome: process.env.REGISTRY_JAVA_HOME } : {}),
    onProgress: (message) => console.log(`… ${message}`),
  });
  const brokers = [stack.endpoints.KAFKA_BROKERS];
  const logger = createLogger({ service: 'devstack', level: 'warn' });
  const report = await provisionExchangeTopics(
    createKafka({ clientId: 'devstack', brokers, logger }),
    brokers,
  );
  console.log(
    `… topics: ${report.changed.length} change(s), ${report.unchanged} already as declared (infra/topics.yaml)`,
  );
  const registered = await registerExchangeSchemas(stack.endpoints.SCHEMA_REGISTRY_URL);
  console.log(
    `… schemas: ${registered.length} subject(s) registered at FULL_TRANSITIVE (schemas/)`,
  );
  const credentials = stackSecrets();
  const services: ManagedProcess[] = [];
  const recordServices = (): void =>
    writeState(servicesState, {
      ownerPid: process.pid,
      processes: services.map(({ name, pid }) => ({ name, pid })),
      endpoints: {},
    });
  let stopping = false;
  const shutdown = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping the exchange (${why}) …`);
    for (const s of [...services].reverse()) await s.stop();
    await stopFromState(servicesState);
    await stack.stop();
    await stopFromState(infraState);
    console.log('Stopped; nothing of ours is left running.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('Ctrl-C'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const base = `http://${options.host}:${port}`;
  // Telemetry: spans to an OTLP/HTTP endpoint and/or a file, if asked (the OTEL_*
  // variables of the environment work too); metrics always at GET /metrics per service.
  const telemetry: NodeJS.ProcessEnv = {
    ...(options.otlp ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.otlp } : {}),
    ...(options.tracesFile ? { OTEL_TRACES_FILE: resolve(options.tracesFile) } : {}),
  };
  const tracesTo =
    [
      options.otlp ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT,
      options.tracesFile ? resolve(options.tracesFile) : process.env.OTEL_TRACES_FILE,
    ]
      .filter(Boolean)
      .join(' and ') || 'not exported (--otlp <url> or --traces-file <path>)';
  let demoKeysFile = '';
  let demoReceiverLog = '';
  try {
    for (const name of SERVICES) {
      console.log(`… starting ${name}`);
      services.push(
        startProcess({
          name,
          command: process.execPath,
          args: [join(root, 'services', name, 'dist', 'main.js')],
          env: {
            ...process.env,
            ...stack.endpoints,
            ...telemetry,
            HOST: options.host,
            PORT: String(SERVICE_PORTS[name] ?? port),
            EXCHANGE_OPERATOR_KEY: credentials.key,
            PERSONAL_DATA_MASTER_KEY: credentials.masterKey,
            ...(name === 'audit' ? { AUDIT_SIGNING_SEED: credentials.auditSeed } : {}),
            // The demo's webhook endpoint is on loopback, over plain http: the gateway
            // registers it and the dispatcher calls it.
            ...(name === 'dispatcher' || name === 'gateway'
              ? { WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_ALLOW_HTTP: 'true' }
              : {}),
          },
          logFile: join(stackDir, 'logs', `${name}.log`),
        }),
      );
      recordServices();
    }
    const gateway = services[0]!;
    await waitUntil(
      `gateway readiness at ${base}/readyz (log: ${gateway.logFile})`,
      async () => (await fetch(`${base}/readyz`)).status === 200,
      { timeoutMs: 60_000, failFast: gateway.exited },
    );
    demoKeysFile = join(stackDir, 'demo-credentials.json');
    demoReceiverLog = join(stackDir, 'logs', 'demo-receiver.log');
    await startDemoReceiver({
      port: DEMO_RECEIVER_PORT,
      host: '127.0.0.1',
      credentialsFile: demoKeysFile,
      logFile: demoReceiverLog,
    });
    const seeded = await seedDemoFederation(base, credentials.key, demoKeysFile);
    console.log(
      `… demo federation: ${seeded.total} organisations in the directory (${seeded.created} new), ${seeded.webhooks} of them receiving by webhook`,
    );
  } catch (error) {
    console.error((error as Error).message);
    await shutdown('start-up failed');
    return;
  }
  console.log(
    [
      '',
      'The Alert Exchange is running.',
      `  Public API:        ${base}`,
      `  API docs:          ${base}/docs (OpenAPI: ${base}/openapi.json)`,
      `  Readiness:         ${base}/readyz (router: http://${options.host}:${ROUTER_PORT}/readyz, dispatcher: http://${options.host}:${DISPATCHER_PORT}/readyz)`,
      `  Delivery status:   http://${options.host}:${DISPATCHER_PORT}/status`,
      `  Audit trail:       http://${options.host}:${AUDIT_PORT}/status (size, latest signed checkpoint, public key)`,
      `  Metrics:           /metrics on every service (${base}/metrics, :${ROUTER_PORT}, :${DISPATCHER_PORT}, :${AUDIT_PORT}), Prometheus text`,
      `  Traces:            ${tracesTo}`,
      `  Demo webhooks:     ngo-de-1 and ngo-fr-1 receive at http://127.0.0.1:${DEMO_RECEIVER_PORT}/demo-receiver/<id>; each delivery is a line of ${demoReceiverLog}`,
      `  Operator key:      ${credentials.file} (EXCHANGE_OPERATOR_KEY; AUDIT_SIGNING_SEED signs the audit checkpoints)`,
      `  Demo credentials:  ${demoKeysFile} (an API key per demo organisation, a webhook secret per webhook one)`,
      `  Kafka:             ${stack.endpoints.KAFKA_BROKERS}`,
      `  Redis:             ${stack.endpoints.REDIS_URL}`,
      `  Schema registry:   ${stack.endpoints.SCHEMA_REGISTRY_URL}`,
      `  Logs and data:     ${stackDir}`,
      '',
      'Ctrl-C stops everything (or, from another terminal: node services/devstack/dist/cli.js stop).',
    ].join('\n'),
  );
  const reported = new Set<string>();
  setInterval(() => {
    for (const s of services) {
      const exit = s.exited();
      if (exit && !stopping && !reported.has(s.name)) {
        reported.add(s.name);
        console.error(`${s.name} stopped unexpectedly (${exit}); see ${s.logFile}`);
      }
    }
  }, 1_000).unref();
}

const program = new Command('exchange-stack').description(
  'Run the Alert Exchange and its dependencies on loopback.',
);
program
  .command('fetch')
  .description(
    'Download the Kafka broker and schema registry from Maven Central (once) and check Java 21+ for the registry',
  )
  .action(() => {
    console.log(`Kafka jars:      ${ensureKafkaJars(root, local)}`);
    console.log(`Schema registry: ${ensureRegistryDistribution(root, local)}`);
    console.log(`Registry java:   ${findJava21(process.env.REGISTRY_JAVA_HOME)}`);
  });
program
  .command('up')
  .description('Start Kafka, Redis, the schema registry and every service; Ctrl-C stops all')
  .option('--port <port>', 'public API port', process.env.PORT ?? '8080')
  .option('--host <host>', 'public API host', process.env.HOST ?? '127.0.0.1')
  .option(
    '--otlp <url>',
    'export spans and metrics over OTLP/HTTP to this base URL (e.g. http://127.0.0.1:4318)',
  )
  .option('--traces-file <path>', 'append every span to this file, one JSON object a line')
  .action(up);
program
  .command('stop')
  .description('Stop a running exchange started by `up`')
  .action(async () => {
    // The `up` process itself first: it stops its services, the stack and its demo
    // receiver and exits; then whatever its state files still name.
    const owner = readState(servicesState)?.ownerPid ?? readState(infraState)?.ownerPid;
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      process.kill(owner, 'SIGTERM');
      await waitUntil(
        `the exchange (pid ${owner}) to stop`,
        () => Promise.resolve(!isAlive(owner)),
        {
          timeoutMs: 60_000,
        },
      ).catch(() => undefined);
    }
    const stopped = await stopAll();
    console.log(
      stopped.length > 0 || owner !== undefined
        ? `Stopped ${[...(owner !== undefined ? [`the exchange (pid ${owner})`] : []), ...stopped].join(', ')}`
        : 'Nothing was running.',
    );
  });
program
  .command('reap')
  .description('Stop test stacks whose test run died without tearing them down')
  .action(async () => {
    const stopped = await reapOrphans(join(local, 'test-stacks'));
    if (stopped.length > 0) console.log(`Stopped orphaned test processes: ${stopped.join(', ')}`);
  });

program.parseAsync().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
