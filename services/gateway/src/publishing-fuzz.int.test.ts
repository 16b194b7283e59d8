import fc from 'fast-check';
import { call, enrol, example, type Answer, type Member } from './api-client.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';

/**
 * Property: whatever a member sends to the publishing routes, the gateway answers with
 * a 2xx or a 4xx problem+json, never a 5xx; a 400 names each bad field by JSON Pointer.
 * fast-check generates the bodies: arbitrary JSON, and valid examples with one member
 * replaced, removed or added. A failure prints the smallest body that breaks it.
 */

type Json = unknown;
type Path = readonly (string | number)[];

/** Every path into `value` (objects and arrays), the root included. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value))
    return [prefix, ...value.flatMap((item, i) => pathsOf(item, [...prefix, i]))];
  if (value && typeof value === 'object')
    return [
      prefix,
      ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key])),
    ];
  return [prefix];
}

/** A copy of `body` with the member at `path` set to `value`, or removed when undefined. */
function mutated(body: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(body) as Record<string | number, Json>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

const at = (value: Json, path: Path): Json =>
  path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step], value);
const isObject = (value: Json): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bodies near `valid`: one member replaced by arbitrary JSON, removed, or added. */
function near(valid: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(valid);
  const objects = paths.filter((p) => isObject(at(valid, p)));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), fc.jsonValue()).map(([p, v]) => mutated(valid, p, v)),
    fc.constantFrom(...paths.filter((p) => p.length > 0)).map((p) => mutated(valid, p, undefined)),
    fc
      .tuple(fc.constantFrom(...objects), fc.string({ maxLength: 12 }), fc.jsonValue())
      .map(([p, key, v]) => mutated(valid, [...p, key], v)),
  );
}

const RAISE_EXAMPLES = [
  'raise-runaway.json',
  'raise-parental-abduction.json',
  'raise-missing-migrant-minor.json',
  'raise-third-party-abduction.json',
  'raise-lost-injured-other.json',
];
const EVENT_EXAMPLES = [
  'event-updated.json',
  'event-sighting-reported.json',
  'event-resolved.json',
  'event-withdrawn.json',
];
const idempotencyKey = fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), {
  nil: undefined,
});

function expectNoServerFault(answer: Answer, sent: unknown): void {
  if (answer.status >= 500 || answer.status < 200)
    throw new Error(`${answer.status} ${JSON.stringify(answer.body)} for ${JSON.stringify(sent)}`);
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: answer.status, title: expect.any(String) });
  }
  if (answer.status === 400 && answer.body.errors) {
    for (const error of answer.body.errors as { path: string; message: string }[]) {
      expect(error.path).toMatch(/^(\/.*)?$/);
      expect(error.message).toEqual(expect.any(String));
    }
  }
}

describe('publishing never answers 5xx, whatever the body', () => {
  let gateway: GatewayProcess;
  let member: Member;
  let caseId: string;
  const statuses = new Map<number, number>();
  const count = (answer: Answer) =>
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);

  beforeAll(async () => {
    gateway = await startReadyGateway();
    member = await enrol(gateway.base, {
      prefix: 'ngo-fuzz',
      roles: ['member-ngo'],
      country: 'DE',
    });
    const raised = await call(
      gateway.base,
      member.key,
      'POST',
      '/v1/alerts',
      example('raise-runaway.json'),
    );
    expect(raised.status).toBe(202);
    caseId = raised.body.caseId as string;
  });
  afterAll(async () => {
    await gateway?.stop();
    // What the generated bodies came to, for whoever reads the test output.
    // eslint-disable-next-line no-console -- a figure for the reader of the test output
    console.info(`publishing fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
  });

  it('POST /v1/alerts: 2 000 bodies near the examples, and arbitrary JSON', async () => {
    const bodies = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...RAISE_EXAMPLES.map(example)).chain(near) },
      { weight: 1, arbitrary: fc.jsonValue() },
    );
    await fc.assert(
      fc.asyncProperty(bodies, idempotencyKey, async (body, key) => {
        const answer = await call(
          gateway.base,
          member.key,
          'POST',
          '/v1/alerts',
          JSON.stringify(body),
          key === undefined ? {} : { 'idempotency-key': key },
        );
        count(answer);
        expectNoServerFault(answer, body);
      }),
      { numRuns: 2_000 },
    );
  }, 600_000);

  it('POST /v1/alerts/{caseId}/events: 1 000 bodies near the examples, on a real case and on none', async () => {
    const bodies = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...EVENT_EXAMPLES.map(example)).chain(near) },
      { weight: 1, arbitrary: fc.jsonValue() },
    );
    // Resolving or withdrawing closes the case: later events then meet a 409, which is
    // as much an answer as any other.
    const target = fc.oneof(fc.constant(caseId), fc.uuid(), fc.string({ maxLength: 40 }));
    await fc.assert(
      fc.asyncProperty(bodies, target, async (body, id) => {
        const answer = await call(
          gateway.base,
          member.key,
          'POST',
          `/v1/alerts/${encodeURIComponent(id)}/events`,
          JSON.stringify(body),
        );
        count(answer);
        expectNoServerFault(answer, body);
      }),
      { numRuns: 1_000 },
    );
  }, 600_000);

  it('raw request bodies that are not JSON, or not what they say they are', async () => {
    const raw = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'application/problem+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    );
    await fc.assert(
      fc.asyncProperty(raw, contentType, async (text, type) => {
        const answer = await call(gateway.base, member.key, 'POST', '/v1/alerts', text, {
          'content-type': type,
        });
        count(answer);
        expectNoServerFault(answer, text);
      }),
      { numRuns: 500 },
    );
  }, 600_000);
});
