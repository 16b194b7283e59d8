import type { RequestHandler } from 'express';
import { InputError } from '@alert-exchange/platform';

/** The deepest nesting of objects and arrays a request body may have (the contract's bodies need 5). */
export const MAX_JSON_DEPTH = 32;

/** The most members an object, or elements an array, of a request body may have. */
export const MAX_JSON_ENTRIES = 1_000;

/** A JSON Pointer (RFC 6901) token. */
const token = (key: string | number): string =>
  String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Where a parsed JSON value breaks the limits, or undefined. Walked without recursion,
 * so no body can exhaust the stack here; stops at the first breach.
 */
export function jsonLimitBreach(
  value: unknown,
  limits: { depth: number; entries: number } = {
    depth: MAX_JSON_DEPTH,
    entries: MAX_JSON_ENTRIES,
  },
): { path: string; message: string } | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: '', depth: 1 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limits.depth)
      return { path: next.path, message: `nests deeper than ${limits.depth} levels` };
    const entries = Array.isArray(next.value)
      ? next.value.map((v, i) => [i, v] as const)
      : Object.entries(next.value);
    if (entries.length > limits.entries)
      return { path: next.path, message: `has more than ${limits.entries} entries` };
    for (const [key, child] of entries)
      pending.push({ value: child, path: `${next.path}/${token(key)}`, depth: next.depth + 1 });
  }
  return undefined;
}

/**
 * After express.json: a body nested deeper than MAX_JSON_DEPTH or with a container of
 * more than MAX_JSON_ENTRIES entries is a 400 naming where, before any route walks it
 * (validation, canonical JSON for idempotency, Avro encoding are all recursive).
 */
export const jsonLimits: RequestHandler = (req, _res, next) => {
  const breach = req.body === undefined ? undefined : jsonLimitBreach(req.body);
  next(
    breach &&
      new InputError(`The request body ${breach.message} at ${breach.path || 'its root'}`, [
        breach,
      ]),
  );
};
