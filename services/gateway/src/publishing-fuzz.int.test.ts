import fc from 'fast-check';
import { call, enrol, example, type Answer, type Member } from './api-client.test-helper';
import { expectContractAnswer, near } from './fuzz.test-helper';
import { startReadyGateway, type GatewayProcess } from './gateway-process.test-helper';

/**
 * Property: whatever a member sends to the publishing routes, the gateway answers with
 * a 2xx or a 4xx problem+json, never a 5xx; a 400 names each bad field by JSON Pointer.
 * fast-check generates the bodies: arbitrary JSON, and valid examples with one member
 * replaced, removed or added. A failure prints the smallest body that breaks it.
 */

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

/** The contract's rule for every answer, as fuzz.test-helper checks it. */
function expectNoServerFault(answer: Answer, sent: unknown): void {
  const contentType = answer.headers.get('content-type');
  expectContractAnswer(
    { status: answer.status, contentType, body: answer.body },
    JSON.stringify(sent),
  );
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
