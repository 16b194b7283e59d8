import { z } from 'zod';
import type { Acknowledgement } from '@alert-exchange/contracts';

/** The statuses a recipient confirms (contract: Receiving, Ack). */
export const ACK_STATUSES = ['RECEIVED', 'ACTIONED'] as const;
export type AckStatusName = (typeof ACK_STATUSES)[number];

/** The longest note a recipient may add. */
export const MAX_NOTE_LENGTH = 2_000;

/**
 * The body of `POST /v1/deliveries/{deliveryId}/ack`: strict, so a misspelt member is a
 * 400 naming it. The note is restricted data (it may say where a child is): it is kept
 * in Kafka and Redis, never logged, and its text never appears in an error.
 */
export const AckBody = z
  .object({
    status: z.enum(ACK_STATUSES, { error: 'must be RECEIVED or ACTIONED' }),
    note: z
      .string('must be a string')
      .max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`)
      .optional(),
  })
  .strict();
export type AckBody = z.infer<typeof AckBody>;

/** The answer to an acknowledgement: the recorded one, the note only when there is one. */
export interface AckView {
  ackId: string;
  deliveryId: string;
  status: string;
  note?: string;
  at: string;
}

export function toAckView(ack: Acknowledgement): AckView {
  return {
    ackId: ack.ackId,
    deliveryId: ack.deliveryId,
    status: ack.status,
    ...(ack.note === null ? {} : { note: ack.note }),
    at: new Date(ack.at).toISOString(),
  };
}
