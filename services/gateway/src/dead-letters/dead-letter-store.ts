import { z } from 'zod';
import { UnavailableError, type Logger, type Redis } from '@alert-exchange/platform';
import type { DeadLetter } from '../domain/dead-letters';

/** Written by the dispatcher (field: deliveryId); the gateway only reads it. */
const DEAD_LETTERS_KEY = 'ax:dead-letters';

const Entry = z.object({
  deliveryId: z.string(),
  caseId: z.string(),
  recipientId: z.string(),
  eventType: z.string(),
  deadLetteredAt: z.iso.datetime({ offset: true }),
  attempts: z.number().int().nonnegative(),
  lastError: z.string(),
});

/**
 * The dispatcher's dead letters, as it files them in Redis (`ax:dead-letters`, a hash of
 * deliveryId to `{deliveryId, caseId, recipientId, eventType, deadLetteredAt, attempts,
 * lastError}`). An entry that does not read so is left out and logged by its field only.
 */
export class DeadLetterStore {
  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async list(): Promise<DeadLetter[]> {
    let fields: Record<string, string>;
    try {
      fields = await this.redis.hgetall(DEAD_LETTERS_KEY);
    } catch (cause) {
      throw new UnavailableError('The dead letters (Redis) did not answer', { cause });
    }
    return Object.entries(fields).flatMap(([deliveryId, raw]) => {
      const entry = Entry.safeParse(parseJson(raw));
      if (entry.success && entry.data.deliveryId === deliveryId) return [entry.data];
      this.logger.warn({ deliveryId }, 'Unreadable dead-letter entry left out');
      return [];
    });
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
