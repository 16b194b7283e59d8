/**
 * The pull inbox's cursor (contract: Receiving): where a recipient has read up to. The
 * deliveries topic is keyed by recipient, so one recipient's deliveries are in one
 * partition, in order, and a position in the inbox is a (partition, offset) of that topic,
 * written `<partition>-<offset>`. A cursor names the last delivery read: the inbox answers
 * the deliveries at higher offsets. Clients treat it as opaque.
 *
 * The partition is carried so that a cursor stays unambiguous if the topic is ever given
 * more partitions (a recipient's deliveries would then move, and offsets of different
 * partitions do not compare); today only the offset orders the inbox.
 */
export interface InboxCursor {
  readonly partition: number;
  /** A Kafka offset, as kafkajs writes it: a decimal string. */
  readonly offset: string;
}

const CURSOR = /^(0|[1-9]\d{0,4})-(0|[1-9]\d{0,18})$/;
/** Kafka offsets are int64; larger decimals are no offset. */
const MAX_OFFSET = 2n ** 63n - 1n;

/** The cursor `text` names, or undefined when it is not a cursor. */
export function parseCursor(text: string): InboxCursor | undefined {
  const match = CURSOR.exec(text);
  if (!match || BigInt(match[2]!) > MAX_OFFSET) return undefined;
  return { partition: Number(match[1]), offset: match[2]! };
}

/** The text of a cursor, as the inbox answers it and SSE sends it as an event id. */
export function formatCursor(cursor: InboxCursor): string {
  return `${cursor.partition}-${cursor.offset}`;
}
