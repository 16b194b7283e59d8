import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@alert-exchange/devstack';
import { OPERATOR_KEY } from './service-mains';

/** An answer of the gateway, its body parsed when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests inspect JSON answers
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

/** A body from schemas/examples, parsed afresh (callers may change it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- example bodies are free JSON
export function example(file: string): Record<string, any> {
  const path = join(repoRoot(), 'schemas', 'examples', file);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-return -- parsed JSON
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** An organisation enrolled through the admin API: its key, and its webhook secret. */
export interface Enrolled {
  readonly key: string;
  readonly webhookSecret?: string;
}

/** Creates organisation `id` (coverage: its own country, every category) and issues a key. */
export async function enrolOrganisation(
  base: string,
  id: string,
  country: string,
  roles: string[],
  delivery: Record<string, string>,
): Promise<Enrolled> {
  const created = await call(base, OPERATOR_KEY, 'POST', '/v1/admin/organisations', {
    id,
    name: `${id} (test)`,
    country,
    roles,
    coverage: { countries: [country], categories: [] },
    languages: ['en'],
    delivery,
    ackWithin: 'PT1H',
  });
  if (created.status !== 201)
    throw new Error(`enrol ${id}: ${created.status} ${JSON.stringify(created.body)}`);
  const issued = await call(base, OPERATOR_KEY, 'POST', `/v1/admin/organisations/${id}/keys`);
  const issuedBody = issued.body as { key: string };
  const secret = (created.body as { webhookSecret?: { secret: string } }).webhookSecret?.secret;
  return {
    key: issuedBody.key,
    ...(secret === undefined ? {} : { webhookSecret: secret }),
  };
}
