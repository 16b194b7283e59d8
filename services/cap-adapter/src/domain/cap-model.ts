/**
 * OASIS CAP 1.2 (Common Alerting Protocol) as the adapter reads and writes it: the
 * elements of `schemas/cap/CAP-v1.2.xsd` that the exchange maps, in the schema's order.
 */

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';

export type CapMsgType = 'Alert' | 'Update' | 'Cancel';

/** A name/value pair: `eventCode`, `parameter` and `geocode` share this shape. */
export interface CapValue {
  readonly valueName: string;
  readonly value: string;
}

export interface CapArea {
  readonly areaDesc: string;
  readonly circle: readonly string[];
  readonly geocode: readonly CapValue[];
}

export interface CapInfo {
  /** RFC 3066 language tag; CAP's default is en-US. */
  readonly language: string;
  readonly category: readonly string[];
  readonly event: string;
  readonly responseType: readonly string[];
  readonly urgency: string;
  readonly severity: string;
  readonly certainty: string;
  readonly eventCode: readonly CapValue[];
  readonly effective?: string;
  readonly onset?: string;
  readonly senderName?: string;
  readonly headline?: string;
  readonly description?: string;
  readonly contact?: string;
  readonly parameter: readonly CapValue[];
  readonly area: readonly CapArea[];
}

export interface CapAlert {
  readonly identifier: string;
  readonly sender: string;
  readonly sent: string;
  readonly status: string;
  readonly msgType: string;
  readonly scope: string;
  readonly restriction?: string;
  readonly addresses?: string;
  readonly note?: string;
  readonly references?: string;
  readonly info: readonly CapInfo[];
}

/** One earlier message named in `references` ("sender,identifier,sent"). */
export interface CapMessageRef {
  readonly sender: string;
  readonly identifier: string;
  readonly sent: string;
}

/** The key a message is known by: CAP identifiers are unique per sender. */
export const messageKey = (ref: Pick<CapMessageRef, 'sender' | 'identifier'>): string =>
  `${ref.sender},${ref.identifier}`;

/** CAP 1.2 §3.2.1 references: space-separated "sender,identifier,sent" triples. */
export function parseReferences(references: string | undefined): CapMessageRef[] | undefined {
  if (references === undefined) return [];
  const refs: CapMessageRef[] = [];
  for (const entry of references.split(/\s+/).filter(Boolean)) {
    const [sender, identifier, sent, ...rest] = entry.split(',');
    if (!sender || !identifier || !sent || rest.length > 0) return undefined;
    refs.push({ sender, identifier, sent });
  }
  return refs;
}

export const formatReferences = (refs: readonly CapMessageRef[]): string =>
  refs.map((ref) => `${ref.sender},${ref.identifier},${ref.sent}`).join(' ');

/**
 * CAP 1.2 §3.2.1 addresses: space-separated, an address that holds whitespace in double
 * quotes.
 */
export const formatAddresses = (addresses: readonly string[]): string =>
  addresses.map((address) => (/\s/.test(address) ? `"${address}"` : address)).join(' ');

export function parseAddresses(addresses: string | undefined): string[] {
  if (!addresses) return [];
  return [...addresses.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

/**
 * A CAP date-time: the schema requires a numeric offset and whole seconds
 * (`\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[-,+]\d\d:\d\d`), so "Z" and milliseconds are not
 * allowed; the exchange writes UTC as +00:00.
 */
export function capDateTime(iso: string | number): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Whether `text` is a date-time CAP accepts. */
export const isCapDateTime = (text: string): boolean =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/.test(text) && !Number.isNaN(Date.parse(text));
