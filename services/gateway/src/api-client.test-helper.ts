import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '@alert-exchange/testing';
import { OPERATOR_KEY } from './gateway-process.test-helper';

/** An answer of the gateway, its body parsed when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/** Calls the gateway at `base` as the holder of `key`. */
export async function call(
  base: string,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** An organisation enrolled for a test, with its API key. */
export interface Member {
  readonly id: string;
  readonly key: string;
}

/** Creates an organisation through the admin API and issues it a key. */
export async function enrol(
  base: string,
  options: {
    prefix: string;
    roles: string[];
    country: string;
    coverage?: string[];
    categories?: string[];
  },
): Promise<Member> {
  const id = uniqueName(options.prefix);
  const created = await call(base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
    id,
    name: `${options.prefix} (test)`,
    country: options.country,
    roles: options.roles,
    coverage: {
      countries: options.coverage ?? [options.country],
      categories: options.categories ?? [],
    },
    languages: ['en'],
    delivery: { mode: 'pull' },
    ackWithin: 'PT15M',
  });
  if (created.status !== 201)
    throw new Error(`enrol ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const issued = await call(base, OPERATOR_KEY, 'POST', `/v1/admin/organisations/${id}/keys`);
  if (issued.status !== 201) throw new Error(`key for ${id}: ${issued.status}`);
  return { id, key: (issued.body as { key: string }).key };
}

const EXAMPLES = join(__dirname, '..', '..', '..', 'schemas', 'examples');

/** A body from schemas/examples, parsed afresh (tests may change it). */
export function example(file: string): Record<string, any> {
  return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, any>;
}
