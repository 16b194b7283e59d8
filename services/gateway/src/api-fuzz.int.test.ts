import { AuditIndex } from '@alert-exchange/audit';
import { createRedis, silentLogger } from '@alert-exchange/platform';
import { createTopics, testKafka, testStack, uniqueName, waitFor } from '@alert-exchange/testing';
import { call, enrol, example } from './api-client.test-helper';
import { DeliveryWriter, testDelivery } from './delivery.test-helper';
import {
  expectContractAnswer,
  fuzz,
  FUZZ_BUDGET_MS,
  type FuzzAnswer,
  type FuzzRun,
} from './fuzz.test-helper';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';
import { openApiDocument } from './http/openapi';
import {
  badKeys,
  documentedInputs,
  exampleOf,
  inputsOf,
  requestsOf,
  routeFuzzers,
  type FuzzRequest,
  type FuzzWorld,
  type RouteFuzzer,
} from './route-fuzzers.test-helper';
import fc from 'fast-check';

/**
 * Property tests (fast-check) over every operation of the OpenAPI document: every body,
 * path, query parameter and header a route reads, near valid values and far from them,
 * sent as a caller whose requests reach validation. Whatever comes, the answer is a 2xx,
 * a 3xx or a 4xx problem+json (a 400 naming fields by JSON Pointer), never a 5xx; the
 * gateway stays alive and logs no error. FUZZ_BUDGET_MS bounds the whole (default 150 s);
 * each property prints its runs, and a failure its seed and shrunk counterexample.
 */

/** A checkpoint for the proof route to check against: well formed, signed by no one. */
const SOME_CHECKPOINT = {
  treeSize: 1_000,
  rootHash: '00'.repeat(32),
  timestamp: 0,
  signature: 'AA=='.padStart(88, 'A'),
  publicKey: 'AA=='.padStart(44, 'A'),
};

/** A Redis database no other test uses: dead letters and idempotency records of our own. */
const REDIS_DB = 11;

/** Sends `request`; a stream's answer is read as far as its status. */
async function send(base: string, request: FuzzRequest): Promise<FuzzAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  try {
    const response = await fetch(`${base}${request.url}`, {
      method: request.method,
      redirect: 'manual',
      signal: controller.signal,
      headers: {
        ...(request.key === undefined ? {} : { authorization: `Bearer ${request.key}` }),
        ...(request.body && { 'content-type': request.body.type }),
        ...request.headers,
      },
      ...(request.body && { body: request.body.text }),
    });
    const contentType = response.headers.get('content-type');
    if (contentType?.startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, contentType, body: undefined };
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the check says so when it matters
    }
    return { status: response.status, contentType, body };
  } finally {
    clearTimeout(timer);
  }
}

const described = (request: FuzzRequest) =>
  JSON.stringify({ ...request, key: request.key?.slice(0, 12) });

describe('every route, whatever it is sent, answers 2xx-4xx as the contract says', () => {
  let gateway: GatewayProcess;
  let world: FuzzWorld;
  let logRead = 0;
  const redisUrl = (() => {
    const url = new URL(testStack().redisUrl);
    url.pathname = `/${REDIS_DB}`;
    return url.toString();
  })();
  const runs: Record<string, FuzzRun> = {};
  // The table's routes and inputs, for the coverage check before anything starts.
  const placeholder = 'placeholder';
  const table = routeFuzzers(
    new Proxy({} as FuzzWorld, {
      get: (_target, name) =>
        name === 'keys' || name === 'keyTarget' || name === 'webhookTarget'
          ? new Proxy({}, { get: () => placeholder })
          : placeholder,
    }),
  );
  const propertyMs = Math.floor(FUZZ_BUDGET_MS / (table.length + 1));

  beforeAll(async () => {
    const topics = {
      DIRECTORY_TOPIC: uniqueName('fuzz.directory'),
      KEYS_TOPIC: uniqueName('fuzz.api-keys'),
      WEBHOOK_SECRETS_TOPIC: uniqueName('fuzz.webhook-secrets'),
    };
    const commands = uniqueName('fuzz.delivery-commands');
    // Topics of its own: the organisations it makes stay out of other tests' routing, and
    // its replay requests reach no dispatcher.
    await createTopics(testKafka(), [
      ...Object.values(topics).map((topic) => ({
        topic,
        numPartitions: 1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      })),
      { topic: commands, numPartitions: 1 },
    ]);
    const redis = createRedis(redisUrl, silentLogger());
    await redis.flushdb();
    await new AuditIndex(redis).setCheckpoint(SOME_CHECKPOINT);
    redis.disconnect();
    gateway = await startReadyGateway({
      ...topics,
      DELIVERY_COMMANDS_TOPIC: commands,
      REDIS_URL: redisUrl,
      // Only error lines (pino level >= 50) are written, and each is a finding.
      LOG_LEVEL: 'error',
    });
    const base = gateway.base;
    const role = (prefix: string, roles: string[], country: string) =>
      enrol(base, { prefix, roles, country });
    const [operator, auditor, ngo, subscriber, hotline] = await Promise.all([
      role('fuzz-operator', ['operator'], 'BE'),
      role('fuzz-auditor', ['auditor'], 'BE'),
      role('fuzz-ngo', ['member-ngo'], 'DE'),
      role('fuzz-mediator', ['mediator'], 'FR'),
      role('fuzz-hotline', ['hotline'], 'FR'),
    ]);
    const raised = await call(base, ngo.key, 'POST', '/v1/alerts', example('raise-runaway.json'));
    expect(raised.status).toBe(202);
    const [patchTarget, deleteTarget, keyTarget] = await Promise.all([
      role('fuzz-patch', ['member-ngo'], 'LU'),
      role('fuzz-delete', ['member-ngo'], 'LU'),
      role('fuzz-keys', ['member-ngo'], 'LU'),
    ]);
    const webhook = await call(base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
      id: uniqueName('fuzz-webhook'),
      name: 'Webhook (test)',
      country: 'BE',
      roles: ['member-ngo'],
      coverage: { countries: ['BE'], categories: [] },
      delivery: { mode: 'webhook', url: 'https://ngo.example.org/alerts' },
      ackWithin: 'PT15M',
    });
    expect(webhook.status).toBe(201);
    const subscription = await call(base, subscriber.key, 'POST', '/v1/subscriptions', {});
    expect(subscription.status).toBe(201);

    const delivery = testDelivery(hotline.id);
    const writer = await DeliveryWriter.open();
    try {
      await writer.write(delivery);
    } finally {
      await writer.close();
    }
    const cursor = await waitFor("the delivery in the hotline's inbox", async () => {
      const inbox = await call(base, hotline.key, 'GET', '/v1/inbox');
      return inbox.body?.deliveries?.length === 1 ? (inbox.body.next as string) : undefined;
    });
    world = {
      keys: {
        bootstrap: OPERATOR_KEY,
        operator: operator.key,
        auditor: auditor.key,
        ngo: ngo.key,
        subscriber: subscriber.key,
        hotline: hotline.key,
      },
      hotlineId: hotline.id,
      caseId: raised.body.caseId as string,
      deliveryId: delivery.deliveryId,
      cursor,
      patchTarget: patchTarget.id,
      deleteTarget: deleteTarget.id,
      keyTarget: { id: keyTarget.id, keyId: /^axk_([0-9a-f]{16})_/.exec(keyTarget.key)![1]! },
      webhookTarget: {
        id: webhook.body.id as string,
        secretId: webhook.body.webhookSecret.secretId as string,
      },
      subscriptionId: subscription.body.id as string,
    };
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    const total = Object.values(runs).reduce((sum, r) => sum + r.runs, 0);
    // eslint-disable-next-line no-console -- the figures a reader of the test output wants
    console.info(
      `fuzz: ${total} runs over ${Object.keys(runs).length} properties (FUZZ_BUDGET_MS=${FUZZ_BUDGET_MS})`,
    );
  });

  /** The gateway is alive, answers /healthz, and wrote no error line since the last check. */
  async function expectGatewayWell(): Promise<void> {
    const health = await fetch(`${gateway.base}/healthz`);
    expect(health.status).toBe(200);
    const log = gateway.stdout();
    const errors = log
      .slice(logRead)
      .split('\n')
      .filter((line) => line.trim() !== '');
    logRead = log.length;
    expect(errors).toEqual([]);
  }

  it('the table fuzzes every input of every operation of the OpenAPI document', () => {
    const documented = documentedInputs(openApiDocument);
    expect(table.map((f) => f.route).sort()).toEqual([...documented.keys()].sort());
    const missing = table.flatMap((fuzzer) => {
      const covered = new Set(inputsOf(fuzzer));
      return (documented.get(fuzzer.route) ?? [])
        .filter((input) => !covered.has(input))
        .map((input) => `${fuzzer.route} ${input}`);
    });
    expect(missing).toEqual([]);
  });

  it.each(table.map((f) => [f.route] as const))(
    '%s',
    async (route) => {
      const fuzzer = routeFuzzers(world).find((f) => f.route === route) as RouteFuzzer;
      // First a request that reaches the handler: the fuzzer calls as a caller who may.
      const example = exampleOf(fuzzer);
      const first = await send(gateway.base, example);
      expect(fuzzer.reaches ?? [200, 201, 202, 204]).toContain(first.status);
      const statuses: Record<number, number> = {};
      runs[route] = await fuzz(
        route,
        requestsOf(fuzzer),
        async (request) => {
          const answer = await send(gateway.base, request);
          statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
          expectContractAnswer(answer, described(request));
        },
        propertyMs,
      );
      // eslint-disable-next-line no-console -- what the generated requests came to
      console.info(`fuzz ${route} statuses: ${JSON.stringify(statuses)}`);
      expect(runs[route].runs).toBeGreaterThan(0);
      await expectGatewayWell();
    },
    FUZZ_BUDGET_MS + 120_000,
  );

  // Last: a failed-authentication throttle may answer 429 to the address from now on.
  it(
    'every /v1 route answers a missing or bad key with a 401 (or 429) problem',
    async () => {
      const operations = routeFuzzers(world).filter((f) => f.route.includes(' /v1/'));
      const unauthenticated = fc
        .tuple(fc.constantFrom(...operations), fc.option(badKeys, { nil: undefined }))
        .chain(([fuzzer, key]) => requestsOf({ ...fuzzer, callers: [key] }));
      runs.unauthenticated = await fuzz(
        'unauthenticated',
        unauthenticated,
        async (request) => {
          const answer = await send(gateway.base, request);
          expectContractAnswer(answer, described(request));
          if (answer.status !== 401 && answer.status !== 429)
            throw new Error(`${answer.status} without a valid key for ${described(request)}`);
        },
        propertyMs,
      );
      expect(runs.unauthenticated.runs).toBeGreaterThan(0);
      await expectGatewayWell();
    },
    FUZZ_BUDGET_MS + 120_000,
  );
});
