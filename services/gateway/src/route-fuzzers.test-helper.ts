import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { uniqueName } from '@alert-exchange/testing';
import { example } from './api-client.test-helper';
import {
  bodiesNear,
  headerValues,
  queryValues,
  segments,
  unicodeText,
  type BodyText,
} from './fuzz.test-helper';

/** What the fuzzers call with and on: keys of each role, and things that exist. */
export interface FuzzWorld {
  readonly keys: {
    readonly bootstrap: string;
    readonly operator: string;
    readonly auditor: string;
    /** A member NGO of DE, the originator of `caseId`. */
    readonly ngo: string;
    /** A mediator, for subscriptions. */
    readonly subscriber: string;
    /** A hotline, the recipient of `deliveryId`. */
    readonly hotline: string;
  };
  readonly hotlineId: string;
  readonly caseId: string;
  readonly deliveryId: string;
  /** The hotline's inbox cursor after its delivery. */
  readonly cursor: string;
  /** Organisations the admin routes change: a pull one, and webhook ones. */
  readonly patchTarget: string;
  readonly deleteTarget: string;
  readonly keyTarget: { readonly id: string; readonly keyId: string };
  readonly webhookTarget: { readonly id: string; readonly secretId: string };
  readonly subscriptionId: string;
}

/** A well-formed case id no one raised. */
const NO_CASE = '7c0e5f0a-1b2c-4d3e-8f40-000000e2a5e0';

/** One documented operation and the generators of each of its inputs. */
export interface RouteFuzzer {
  /** `METHOD /path/{param}` as in the OpenAPI document. */
  readonly route: string;
  /** The keys to call with (undefined: none); chosen among at random. */
  readonly callers: readonly (string | undefined)[];
  /** Each path parameter's segments, already percent-encoded. */
  readonly path?: Readonly<Record<string, fc.Arbitrary<string>>>;
  /** Each query parameter's values, already percent-encoded. */
  readonly query?: Readonly<Record<string, fc.Arbitrary<string[]>>>;
  readonly headers?: Readonly<Record<string, fc.Arbitrary<string | undefined>>>;
  readonly body?: fc.Arbitrary<BodyText>;
  /** An endless answer (Server-Sent Events): only its status is read. */
  readonly stream?: true;
  /**
   * A request that reaches the handler, sent first (as the first caller): parameters as
   * text, the body as JSON. Its answer must be one of `reaches` (default: any 2xx).
   */
  readonly example?: {
    readonly path?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string>>;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
  readonly reaches?: readonly number[];
}

/** The inputs a fuzzer generates, named as `documentedInputs` names them. */
export function inputsOf(fuzzer: RouteFuzzer): string[] {
  return [
    ...Object.keys(fuzzer.path ?? {}).map((name) => `path:${name}`),
    ...Object.keys(fuzzer.query ?? {}).map((name) => `query:${name}`),
    ...Object.keys(fuzzer.headers ?? {}).map((name) => `header:${name.toLowerCase()}`),
    ...(fuzzer.body ? ['body'] : []),
  ];
}

interface Parameter {
  readonly name: string;
  readonly in: string;
}
interface Operation {
  readonly parameters?: readonly Parameter[];
}

/**
 * Every operation of an OpenAPI document and the inputs a fuzzer must generate for it:
 * each path, query and header parameter (path-level and operation-level), and the body
 * of every POST, PATCH and PUT.
 */
export function documentedInputs(document: {
  paths: Record<string, Record<string, unknown>>;
}): Map<string, string[]> {
  const operations = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = (item.parameters ?? []) as readonly Parameter[];
    for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const parameters = [...shared, ...(operation.parameters ?? [])];
      operations.set(`${method.toUpperCase()} ${path}`, [
        ...parameters.map((p) => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`),
        ...(['post', 'patch', 'put'].includes(method) ? ['body'] : []),
      ]);
    }
  }
  return operations;
}

/** A request as the properties send it. */
export interface FuzzRequest {
  readonly method: string;
  /** Path and query string, percent-encoded as generated. */
  readonly url: string;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: BodyText;
}

/** Query parameters no route knows: they must change nothing. */
const unknownParameters = fc.array(
  fc.tuple(fc.constantFrom('x', 'a[b]', '__proto__', 'after%5B%5D', ''), queryValues('1')),
  { maxLength: 2 },
);

/** The request of each input's value, percent-encoded already. */
function assemble(
  fuzzer: RouteFuzzer,
  parts: {
    key: string | undefined;
    path: Record<string, string>;
    query: Record<string, string[]>;
    unknown: Array<[string, string[]]>;
    headers: Record<string, string | undefined>;
    body: BodyText | undefined;
  },
): FuzzRequest {
  const [method, template] = fuzzer.route.split(' ') as [string, string];
  const pairs = [...Object.entries(parts.query), ...parts.unknown].flatMap(([name, values]) =>
    values.map((v) => `${name}=${v}`),
  );
  const url =
    template.replace(/\{(\w+)\}/g, (_, name: string) => parts.path[name]!) +
    (pairs.length > 0 ? `?${pairs.join('&')}` : '');
  const headers = Object.fromEntries(
    Object.entries(parts.headers).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return { method, url, key: parts.key, headers, ...(parts.body && { body: parts.body }) };
}

/** Requests to `fuzzer`'s route, each input drawn from its generator. */
export function requestsOf(fuzzer: RouteFuzzer): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      key: fc.constantFrom(...fuzzer.callers),
      path: fc.record(fuzzer.path ?? {}),
      query: fc.record(fuzzer.query ?? {}),
      unknown: unknownParameters,
      headers: fc.record(fuzzer.headers ?? {}),
      body: fuzzer.body ?? fc.constant(undefined),
    })
    .map((parts) => assemble(fuzzer, parts));
}

/** `fuzzer`'s example request, as its first caller. */
export function exampleOf(fuzzer: RouteFuzzer): FuzzRequest {
  const example = fuzzer.example ?? {};
  const encode = (values: Readonly<Record<string, string>> = {}) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
  return assemble(fuzzer, {
    key: fuzzer.callers[0],
    path: encode(example.path),
    query: Object.fromEntries(Object.entries(encode(example.query)).map(([k, v]) => [k, [v]])),
    unknown: [],
    headers: { ...example.headers },
    body:
      example.body === undefined
        ? undefined
        : { text: JSON.stringify(example.body), type: 'application/json' },
  });
}

const newOrganisation = (delivery: object) => ({
  id: uniqueName('fuzz-org'),
  name: 'Σύλλογος Ελένη – Şükrü & Анна (test)',
  country: 'GR',
  roles: ['member-ngo', 'hotline'],
  coverage: { countries: ['GR', 'CY'], categories: ['RUNAWAY'] },
  languages: ['el', 'tr'],
  delivery,
  ackWithin: 'PT15M',
});
const PULL = { mode: 'pull' };
const WEBHOOK = { mode: 'webhook', url: 'https://ngo.example.org/alerts' };
/** Bodies that are fresh on every run (a new organisation id), near valid ones. */
const freshBodies = (make: () => object[]) => fc.constant(null).chain(() => bodiesNear(...make()));

/** Every example body of schemas/examples: the raises, and the events on a case. */
const EXAMPLE_FILES = readdirSync(join(__dirname, '..', '..', '..', 'schemas', 'examples'));
const RAISES = EXAMPLE_FILES.filter((file) => file.startsWith('raise-'));
const EVENTS = EXAMPLE_FILES.filter((file) => file.startsWith('event-'));
const TIMES = ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00+01:00', '2026-11-01T00:00:00.123Z'];

/** The fuzzers of every operation of the gateway's OpenAPI document. */
export function routeFuzzers(w: FuzzWorld): RouteFuzzer[] {
  const operators = [w.keys.operator, w.keys.bootstrap];
  const auditors = [w.keys.auditor, w.keys.operator];
  const idempotencyKey = headerValues('fuzz-key-1', 'fuzz-key-2');
  const traceparent = headerValues(
    '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    '00-00000000000000000000000000000000-0000000000000000-00',
  );
  const noBody = bodiesNear({}, { note: 'Ελένη' });
  const open = (route: string): RouteFuzzer => ({ route, callers: [undefined, w.keys.ngo] });
  return [
    open('GET /healthz'),
    open('GET /metrics'),
    open('GET /readyz'),
    open('GET /openapi.json'),
    open('GET /docs'),
    {
      route: 'POST /v1/alerts',
      example: {
        headers: { 'Idempotency-Key': 'fuzz-example' },
        body: example('raise-runaway.json'),
      },
      callers: [w.keys.ngo, w.keys.hotline],
      headers: { 'Idempotency-Key': idempotencyKey, traceparent },
      body: bodiesNear(...RAISES.map(example)),
      reaches: [202],
    },
    {
      route: 'POST /v1/alerts/{caseId}/events',
      example: { path: { caseId: w.caseId }, body: example('event-updated.json') },
      callers: [w.keys.ngo, w.keys.operator],
      path: { caseId: segments(w.caseId, w.caseId.toUpperCase()) },
      headers: { 'Idempotency-Key': idempotencyKey, traceparent },
      body: bodiesNear(...EVENTS.map(example)),
      reaches: [202],
    },
    {
      route: 'GET /v1/alerts/{caseId}',
      example: { path: { caseId: w.caseId } },
      callers: [w.keys.ngo, w.keys.operator, w.keys.hotline],
      path: { caseId: segments(w.caseId) },
      headers: { traceparent },
    },
    {
      route: 'POST /v1/admin/organisations',
      example: { body: newOrganisation(WEBHOOK) },
      callers: operators,
      body: freshBodies(() => [newOrganisation(PULL), newOrganisation(WEBHOOK)]),
      reaches: [201],
    },
    {
      route: 'GET /v1/admin/organisations',
      callers: operators,
    },
    {
      route: 'GET /v1/admin/organisations/{id}',
      example: { path: { id: w.patchTarget } },
      callers: operators,
      path: { id: segments(w.patchTarget) },
    },
    {
      route: 'PATCH /v1/admin/organisations/{id}',
      example: { path: { id: w.patchTarget }, body: { name: 'Ελένη (test)' } },
      callers: operators,
      path: { id: segments(w.patchTarget) },
      body: bodiesNear(
        { name: 'Renamed Ελένη (test)' },
        { delivery: WEBHOOK, ackWithin: 'P1D' },
        (({ id: _id, ...patch }) => patch)(newOrganisation(PULL)),
      ),
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}',
      example: { path: { id: w.deleteTarget } },
      callers: operators,
      path: { id: segments(w.deleteTarget) },
      reaches: [204],
    },
    {
      route: 'POST /v1/admin/organisations/{id}/keys',
      example: { path: { id: w.keyTarget.id } },
      callers: operators,
      path: { id: segments(w.keyTarget.id) },
      body: noBody,
      reaches: [201],
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}/keys/{keyId}',
      example: { path: { id: w.keyTarget.id, keyId: w.keyTarget.keyId } },
      callers: operators,
      path: { id: segments(w.keyTarget.id), keyId: segments(w.keyTarget.keyId) },
    },
    {
      route: 'GET /v1/admin/organisations/{id}/webhook-secrets',
      example: { path: { id: w.webhookTarget.id } },
      callers: operators,
      path: { id: segments(w.webhookTarget.id) },
    },
    {
      route: 'POST /v1/admin/organisations/{id}/webhook-secrets',
      example: { path: { id: w.webhookTarget.id } },
      callers: operators,
      path: { id: segments(w.webhookTarget.id) },
      body: noBody,
      reaches: [201],
    },
    {
      route: 'DELETE /v1/admin/organisations/{id}/webhook-secrets/{secretId}',
      example: { path: { id: w.webhookTarget.id, secretId: w.webhookTarget.secretId } },
      callers: operators,
      path: {
        id: segments(w.webhookTarget.id),
        secretId: segments(w.webhookTarget.secretId),
      },
    },
    {
      route: 'POST /v1/subscriptions',
      example: { body: { countries: ['NL'], urgencies: ['IMMEDIATE'] } },
      callers: [w.keys.subscriber],
      body: bodiesNear(
        {
          countries: ['NL', 'BE'],
          categories: ['RUNAWAY'],
          urgencies: ['IMMEDIATE'],
          eventTypes: ['RAISED'],
        },
        {},
      ),
      reaches: [201],
    },
    {
      route: 'GET /v1/subscriptions',
      callers: [w.keys.subscriber, w.keys.bootstrap],
    },
    {
      route: 'DELETE /v1/subscriptions/{id}',
      example: { path: { id: w.subscriptionId } },
      callers: [w.keys.subscriber],
      path: { id: segments(w.subscriptionId) },
      reaches: [204],
    },
    {
      route: 'GET /v1/inbox',
      example: { query: { after: w.cursor, wait: '0', limit: '1' } },
      callers: [w.keys.hotline],
      headers: { traceparent },
      query: {
        after: queryValues(w.cursor, '', '0-0', '99999-9999999999999999999'),
        // A valid wait holds an empty inbox's answer that long: 0 and 1 s keep runs short.
        wait: fc.oneof(
          queryValues('0', '1', '31', '-1', '1.5', '1e1', '0x1'),
          fc.constant<string[]>(['0']),
        ),
        limit: queryValues('1', '100', '101', '0', '50.0'),
      },
    },
    {
      route: 'GET /v1/inbox/stream',
      example: { headers: { 'Last-Event-ID': w.cursor } },
      callers: [w.keys.hotline],
      headers: { traceparent, 'Last-Event-ID': headerValues(w.cursor, '0-0', ` ${w.cursor} `) },
      query: { after: queryValues(w.cursor, '', '0-0') },
      stream: true,
    },
    {
      route: 'POST /v1/deliveries/{deliveryId}/ack',
      example: { path: { deliveryId: w.deliveryId }, body: { status: 'RECEIVED' } },
      callers: [w.keys.hotline],
      // A well-formed unknown id waits 5 s for the projection before its 404: rarely.
      path: {
        deliveryId: fc.oneof(
          {
            weight: 40,
            arbitrary: segments(w.deliveryId, w.deliveryId.toUpperCase()).filter(
              (s) => !/^[0-9a-f-]{36}$/.test(s) || s === w.deliveryId,
            ),
          },
          { weight: 1, arbitrary: fc.uuid() },
        ),
      },
      body: bodiesNear(
        { status: 'RECEIVED' },
        { status: 'ACTIONED', note: 'Анна seen in Şişli 👀' },
      ),
    },
    {
      route: 'GET /v1/admin/dead-letters',
      example: { query: { recipientId: w.hotlineId, since: TIMES[0]! } },
      callers: operators,
      query: { recipientId: queryValues(w.hotlineId), since: queryValues(...TIMES) },
    },
    {
      route: 'POST /v1/admin/cases/{caseId}/erasure',
      // A case nobody raised: the world's own case is read by other fuzzers, and an
      // erasure is tested end to end in tests/erasure.test.ts.
      example: { path: { caseId: NO_CASE } },
      callers: operators,
      path: { caseId: segments(NO_CASE) },
      body: noBody,
      reaches: [404],
    },
    {
      route: 'POST /v1/admin/dead-letters/replay',
      example: { body: { recipientId: w.hotlineId } },
      callers: operators,
      body: bodiesNear(
        { recipientId: w.hotlineId },
        { recipientId: w.hotlineId, since: TIMES[0] },
        { deliveryId: w.deliveryId },
      ),
      // No dead letters here: a selection is a 202 naming none, a deliveryId a 404.
      reaches: [202],
    },
    {
      route: 'GET /v1/audit/cases/{caseId}',
      example: { path: { caseId: w.caseId }, query: { format: 'csv' } },
      callers: auditors,
      path: { caseId: segments(w.caseId) },
      query: { format: queryValues('json', 'csv', 'JSON', 'xml') },
      // No audit service fills the index here: a valid id has no trail.
      reaches: [404],
    },
    {
      route: 'GET /v1/audit/deliveries',
      example: { query: { state: 'unacknowledged', olderThan: 'PT1H' } },
      callers: auditors,
      query: {
        state: queryValues('unacknowledged', 'acknowledged'),
        olderThan: queryValues('PT1H', 'PT0S', 'P1D', 'P1Y2M3DT4H5M6.5S', 'P999999999999D'),
      },
    },
    {
      route: 'GET /v1/audit/checkpoints/latest',
      callers: auditors,
    },
    {
      route: 'GET /v1/audit/records/{seq}/proof',
      example: { path: { seq: '0' } },
      callers: auditors,
      path: { seq: segments('0', '1', '9007199254740991', '9999999999999999') },
      // The test's checkpoint covers records nobody indexed: 404 past validation.
      reaches: [404],
    },
    {
      route: 'GET /v1/audit/completeness',
      example: { query: { from: TIMES[0]!, to: '2026-11-03T00:00:00Z' } },
      callers: auditors,
      query: {
        from: queryValues(...TIMES),
        to: queryValues('2026-11-03T00:00:00Z', '2026-12-31T00:00:00Z', TIMES[0]!),
      },
    },
  ];
}

/** Any text as a bearer token, for the calls made without a valid key. */
export const badKeys: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    'not-a-key',
    'axk_0000000000000000_',
    `axk_${'0'.repeat(16)}_${'a'.repeat(43)}`,
  ),
  unicodeText.map((t) =>
    Buffer.from(t.slice(0, 2_000), 'utf8')
      .toString('latin1')
      .replace(/[\u0000-\u001f\u007f]/g, ''),
  ),
);
