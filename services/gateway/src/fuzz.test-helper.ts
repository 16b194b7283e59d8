import fc from 'fast-check';

/**
 * What the gateway's property tests (fast-check) generate and check: requests near valid
 * ones and far from them, and the contract's rule for every answer (a 2xx/3xx, or a 4xx
 * problem+json; never a 5xx). The test files say which route gets which inputs.
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

/** Names in the scripts the contract names, and characters that break careless code. */
const TRICKY_TEXTS = [
  'Ελένη',
  'Şükrü',
  'Анна',
  'محمد',
  '👩‍👧‍👦',
  '🇩🇪',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\u202eevil',
  '\ufeff',
  '',
  ' ',
  '../../etc/passwd',
  '..',
  '%',
  '%00',
  '%2e%2e%2f',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'null',
  'NaN',
  'Infinity',
  '{"a":1}',
  "'; DROP TABLE cases;--",
  '<script>alert(1)</script>',
  '\r\n',
  'PT',
  'P-1D',
  '9999-12-31T23:59:59Z',
  '0000-00-00T00:00:00Z',
];

/** Unicode text: the contract's names, emoji, lone surrogates, NUL, and very long text. */
export const unicodeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_TEXTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...TRICKY_TEXTS), fc.constantFrom(300, 4_000, 70_000))
      .map(([text, length]) => (text || 'x').repeat(Math.ceil(length / (text.length || 1)))),
  },
);

/** Arbitrary JSON values whose strings are any Unicode, or the tricky texts. */
export const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ stringUnit: 'grapheme' }),
  fc.jsonValue({ stringUnit: 'binary' }),
  unicodeText,
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_VALUE, true, null, [], {}),
);

/** JSON texts that JSON.stringify never writes: huge numbers, deep nesting. */
const RAW_JSON: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '123456789012345678901234567890123456789',
    '0.1e99999',
    '"\\ud800"',
    '"\\u0000"',
  ),
  fc
    .tuple(fc.constantFrom(50, 500, 5_000, 20_000), fc.boolean())
    .map(([depth, arrays]) =>
      arrays
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ),
);

const MARKER = '\u0000fuzz-raw\u0000';

/** Bodies near `valid`: one member replaced by arbitrary JSON, removed, or added. */
export function near(valid: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(valid);
  const objects = paths.filter((p) => isObject(at(valid, p)));
  const members = paths.filter((p) => p.length > 0);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), anyJson).map(([p, v]) => mutated(valid, p, v)),
    ...(members.length > 0
      ? [fc.constantFrom(...members).map((p) => mutated(valid, p, undefined))]
      : []),
    ...(objects.length > 0
      ? [
          fc
            .tuple(
              fc.constantFrom(...objects),
              fc.oneof(fc.string({ maxLength: 12 }), unicodeText),
              anyJson,
            )
            .map(([p, key, v]) => mutated(valid, [...p, key], v)),
        ]
      : []),
  );
}

/** JSON texts near `valid` with one member replaced by a huge number or deep nesting. */
function nearRaw(valid: Json): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...pathsOf(valid)), RAW_JSON)
    .map(([p, raw]) =>
      JSON.stringify(mutated(valid, p, MARKER)).replace(JSON.stringify(MARKER), raw),
    );
}

/** A request body as sent: its text and content type. */
export interface BodyText {
  readonly text: string;
  readonly type: string;
}

const OTHER_TYPES = [
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/problem+json',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; boundary=',
];

/** Text that is not JSON, or not quite. */
const notJson: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v).slice(0, -1)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  fc.constantFrom('', 'null', '"', '{', '{"a":1}{"b":2}', '\ufeff{}'),
);

/**
 * Bodies for a route whose valid bodies include those of `valids`: mostly near one of
 * them, also arbitrary JSON, raw JSON texts, text that is not JSON, and other content types.
 */
export function bodiesNear(...valids: Json[]): fc.Arbitrary<BodyText> {
  const json = (text: string): BodyText => ({ text, type: 'application/json' });
  const valid = fc.constantFrom(...valids);
  return fc.oneof(
    { weight: 8, arbitrary: valid.chain(near).map((b) => json(JSON.stringify(b) ?? 'null')) },
    { weight: 1, arbitrary: valid.map((b) => json(JSON.stringify(b))) },
    { weight: 2, arbitrary: valid.chain(nearRaw).map(json) },
    { weight: 2, arbitrary: anyJson.map((b) => json(JSON.stringify(b))) },
    { weight: 1, arbitrary: RAW_JSON.map(json) },
    { weight: 1, arbitrary: notJson.map(json) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(
            valid.map((b) => JSON.stringify(b)),
            notJson,
          ),
          fc.constantFrom(...OTHER_TYPES),
        )
        .map(([text, type]) => ({ text, type })),
    },
  );
}

/** `text` percent-encoded; a lone surrogate (which encodeURIComponent refuses) as bad UTF-8. */
function encoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) + '%ED%A0%80';
  }
}

/** Raw URL text that is not well-formed percent-encoding, or that walks up the path. */
const RAW_URL_TEXTS = [
  '%',
  '%zz',
  '%E2%82',
  '%ED%A0%80',
  '%00',
  '%2F',
  '%2e%2e',
  '..%2F..%2F',
  '%C0%AF',
  '+',
  ';',
  '%25',
];

/**
 * Path segments: `valid` ones, and ids of every other shape (any Unicode percent-encoded,
 * very long, bad percent-encoding, ../, an id of another kind).
 */
export function segments(...valid: string[]): fc.Arbitrary<string> {
  const others = fc.oneof(
    unicodeText.filter((t) => t.length <= 2_000).map(encoded),
    fc.constantFrom(...RAW_URL_TEXTS),
    fc.uuid().map((id) => id.toUpperCase()),
    fc.uuid(),
    fc.constantFrom('0', '-1', '1e3', '9007199254740993', 'a'.repeat(65), 'x'.repeat(6_000)),
  );
  return valid.length === 0
    ? others
    : fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...valid) },
        { weight: 1, arbitrary: others },
      );
}

/**
 * The values of one query parameter as sent, percent-encoded: absent, a `valid` one, any
 * text, bad percent-encoding, or the parameter repeated (which express reads as a list).
 */
export function queryValues(...valid: string[]): fc.Arbitrary<string[]> {
  const other = fc.oneof(
    unicodeText.filter((t) => t.length <= 2_000).map(encoded),
    fc.constantFrom(...RAW_URL_TEXTS),
  );
  const one = valid.length > 0 ? fc.oneof(fc.constantFrom(...valid).map(encoded), other) : other;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<string[]>([]) },
    { weight: 6, arbitrary: one.map((v) => [v]) },
    { weight: 1, arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }) },
  );
}

/**
 * Header values as fetch can send them (bytes 0x20 to 0xFF, no CR/LF/NUL): absent,
 * a `valid` one, empty, long, UTF-8 names read as Latin-1 bytes, and any such text.
 */
export function headerValues(...valid: string[]): fc.Arbitrary<string | undefined> {
  const latin1 = (text: string) =>
    Buffer.from(text, 'utf8')
      .toString('latin1')
      .replace(/[\u0000-\u001f\u007f]/g, '');
  return fc.oneof(
    fc.constant(undefined),
    ...(valid.length > 0 ? [fc.constantFrom(...valid)] : []),
    fc.constantFrom('', ' ', 'x'.repeat(255), 'x'.repeat(256), 'y'.repeat(8_000)),
    unicodeText.filter((t) => t.length <= 4_000).map(latin1),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }).map(latin1),
  );
}

/** An answer of the gateway as the properties read it. */
export interface FuzzAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
}

/** A JSON Pointer (RFC 6901), the empty one included. */
const JSON_POINTER = /^(\/([^~]|~[01])*)*$/;

/**
 * The contract's rule for every answer (Base URL, formats, errors): 2xx or 3xx, or a 4xx
 * RFC 9457 problem with type, title, status and detail; a 400 names its fields in errors[]
 * by JSON Pointer. Throws, naming what was sent, otherwise.
 */
export function expectContractAnswer(answer: FuzzAnswer, sent: string): void {
  const fail = (why: string) => {
    throw new Error(
      `${why}: ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 500)} for ${sent.slice(0, 600)}`,
    );
  };
  if (answer.status < 200 || answer.status >= 500) fail('not a 2xx, 3xx or 4xx');
  if (answer.status < 400) return;
  if (!/^application\/problem\+json/.test(answer.contentType ?? '')) fail('not problem+json');
  const problem = answer.body as Record<string, unknown> | undefined;
  for (const member of ['type', 'title', 'detail'])
    if (typeof problem?.[member] !== 'string') fail(`no ${member}`);
  if (problem?.status !== answer.status) fail('status not the answer’s');
  if (answer.status === 400) {
    const errors = problem?.errors as Array<{ path?: unknown; message?: unknown }> | undefined;
    if (!Array.isArray(errors) || errors.length === 0) fail('a 400 without errors[]');
    for (const error of errors!) {
      if (typeof error.path !== 'string' || !JSON_POINTER.test(error.path))
        fail('an error path that is no JSON Pointer');
      if (typeof error.message !== 'string') fail('an error without a message');
    }
  }
}

/** The whole fuzz budget (FUZZ_BUDGET_MS, default 150 s), shared out among the properties. */
export const FUZZ_BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 150_000);

/** What one property came to. */
export interface FuzzRun {
  readonly runs: number;
  readonly ms: number;
}

/**
 * Checks `predicate` over `arbitrary` for at most `timeMs` (fast-check's
 * interruptAfterTimeLimit; numRuns only bounds it from above), prints how many runs it
 * made, and throws fast-check's report, with its seed and the shrunk counterexample, on
 * a failure.
 */
export async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  timeMs: number,
): Promise<FuzzRun> {
  const started = Date.now();
  const details = await fc.check(fc.asyncProperty(arbitrary, predicate), {
    numRuns: 100_000,
    plugins: [fc.interruptAfterTimeLimit(timeMs)],
  });
  const run = { runs: details.numRuns, ms: Date.now() - started };
  // eslint-disable-next-line no-console -- the figures a reader of the test output wants
  console.info(`fuzz ${name}: ${run.runs} runs in ${run.ms} ms (seed ${details.seed})`);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : '';
    throw new Error(`${fc.defaultReportMessage(details) ?? `${name} failed`}\n${cause}`);
  }
  return run;
}
