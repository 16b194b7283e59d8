import type { AuditRecord } from '@alert-exchange/contracts';

/** A JSON value as RFC 8785 canonicalizes it. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An audit record before its hash is known, or a whole record (its hash is left out). */
export type RecordContent = Omit<AuditRecord, 'hash'> & { hash?: Buffer };

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) of a JSON value.
 *
 * Written here rather than taken from the `canonicalize` package: that package is ES-module
 * only and our packages are CommonJS. The scheme is small for the values we hash:
 * - object members sorted by their names compared as arrays of UTF-16 code units (which is
 *   what JavaScript's default string comparison does), no whitespace anywhere;
 * - strings as ECMAScript `JSON.stringify` writes them: `"` and `\` escaped, U+0000..U+001F
 *   as `\b \t \n \f \r` or `\u00xx` (lower-case hex), everything else as UTF-8 literally;
 *   lone surrogates are refused (I-JSON, RFC 7493);
 * - numbers as ECMAScript `Number.prototype.toString` (RFC 8785 §3.2.2.3); NaN and the
 *   infinities are refused.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`JCS has no form for the number ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    // In a `u` regular expression only an unpaired surrogate is a code point of category Cs.
    if (/\p{Cs}/u.test(value)) throw new RangeError('JCS refuses a string with a lone surrogate');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .map((name) => `${canonicalJson(name)}:${canonicalJson(value[name]!)}`);
  return `{${members.join(',')}}`;
}

/**
 * The bytes of an audit record that are hashed, chained and put in the Merkle tree.
 *
 * For an auditor re-implementing it: the UTF-8 bytes of the RFC 8785 (JCS) serialization of
 * one JSON object with exactly these eleven members, and never `hash`:
 *
 * | member       | JSON value                                                         |
 * | ------------ | ------------------------------------------------------------------ |
 * | `actor`      | string                                                             |
 * | `at`         | integer, milliseconds since the Unix epoch                         |
 * | `caseId`     | string or `null`                                                   |
 * | `deliveryId` | string or `null`                                                   |
 * | `detail`     | object of string values (may be `{}`), its members sorted too      |
 * | `eventId`    | string or `null`                                                   |
 * | `kind`       | string, the Avro enum symbol (`"ROUTED"`, `"DELIVERED"`, ...)       |
 * | `prevHash`   | string, the 32 bytes as 64 lower-case hex digits                   |
 * | `recipient`  | string or `null`                                                   |
 * | `seq`        | integer from 0                                                     |
 * | `traceId`    | string or `null`                                                   |
 *
 * Absent optional facts are written as `null`, never left out. JCS sorts the members, so
 * the bytes always start `{"actor":` and the order above is the order on the wire, e.g.
 * `{"actor":"router","at":1700000000000,"caseId":"c-1","deliveryId":null,"detail":{"why":"rule 3"},"eventId":"e-1","kind":"ROUTED","prevHash":"00…00","recipient":"org-2","seq":0,"traceId":null}`.
 * `seq` and `at` must be safe integers (|n| < 2^53), so they print without exponent or
 * fraction.
 */
export function canonicalRecord(record: RecordContent): Buffer {
  for (const [name, n] of [
    ['seq', record.seq],
    ['at', record.at],
  ] as const) {
    if (!Number.isSafeInteger(n)) throw new RangeError(`audit record ${name} must be an integer`);
  }
  const content: JsonValue = {
    actor: record.actor,
    at: record.at,
    caseId: record.caseId,
    deliveryId: record.deliveryId,
    detail: { ...record.detail },
    eventId: record.eventId,
    kind: record.kind,
    prevHash: record.prevHash.toString('hex'),
    recipient: record.recipient,
    seq: record.seq,
    traceId: record.traceId,
  };
  return Buffer.from(canonicalJson(content), 'utf8');
}
