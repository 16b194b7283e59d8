import { z } from 'zod';

const RECIPIENT = z
  .string('must be an organisation id')
  .regex(/^[a-z0-9-]{3,64}$/, 'must be an organisation id: 3 to 64 characters of a-z, 0-9 and -');
const SINCE = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-20T18:30:00Z',
  })
  .transform((text) => Date.parse(text));
const DELIVERY_ID = z.uuid('must be a delivery id (a UUID)').transform((id) => id.toLowerCase());

/**
 * `GET /v1/admin/dead-letters?recipientId=&since=`: query parameters are named in
 * problems as `/query/<name>`, as the inbox's are.
 */
export const DeadLetterQuery = z.object({
  query: z.object({ recipientId: RECIPIENT.optional(), since: SINCE.optional() }),
});

/**
 * `POST /v1/admin/dead-letters/replay`: which dead letters to send again. Each member
 * narrows the selection; at least one is needed, so that "replay everything" is never
 * an accident.
 */
export const ReplayBody = z
  .object({
    deliveryId: DELIVERY_ID.optional(),
    recipientId: RECIPIENT.optional(),
    since: SINCE.optional(),
  })
  .strict()
  .refine(
    (body) =>
      body.deliveryId !== undefined || body.recipientId !== undefined || body.since !== undefined,
    { message: 'must name at least one of deliveryId, recipientId and since' },
  )
  .meta({ description: 'At least one member; each member given narrows the selection.' });
