import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConflictError,
  InputError,
  nameUuid,
  UnavailableError,
  type Redis,
} from '@alert-exchange/platform';

/** How long a completed request is remembered (contract: Idempotency-Key). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/** How long an in-flight lock holds if its holder dies; longer than any publish takes. */
const LOCK_TTL_MS = 60_000;

/** A response worth replaying: the first answer to a key is given again, byte for byte. */
export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
  readonly location?: string;
}

/** The ids a request publishes under; a retry after a failure reuses them. */
export interface RequestIds {
  readonly caseId: string;
  readonly eventId: string;
}

interface Entry {
  fingerprint: string;
  state: 'in-flight' | 'done' | 'failed';
  ids: RequestIds;
  response?: StoredResponse;
}

/**
 * Takes the key for a request atomically: a new key (or one whose earlier attempt failed)
 * is locked in flight and returned as `run`; a completed one as `replay`; another body
 * as `conflict`; a request still in flight as `wait`.
 */
const BEGIN = `
local raw = redis.call('GET', KEYS[1])
if not raw then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {'run', ARGV[2]}
end
local entry = cjson.decode(raw)
if entry.fingerprint ~= ARGV[1] then return {'conflict', raw} end
if entry.state == 'done' then return {'replay', raw} end
if entry.state == 'in-flight' then return {'wait', raw} end
entry.state = 'in-flight'
local locked = cjson.encode(entry)
redis.call('SET', KEYS[1], locked, 'PX', ARGV[3])
return {'run', locked}`;

/** Checks the header: any string of 1 to 255 characters (contract). */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header.length < 1 || header.length > 255) {
    throw new InputError('The Idempotency-Key header must be 1 to 255 characters long', [
      { path: '', message: 'Idempotency-Key must be 1 to 255 characters long' },
    ]);
  }
  return header;
}

/** A digest of what makes two requests "the same": the route and the body. */
export function fingerprintOf(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(body)).digest('hex');
}

/**
 * The ids a request with an Idempotency-Key publishes under, derived from the organisation,
 * the key and the request's fingerprint (route and body) rather than drawn at random. Redis
 * may lose the key's record (its last second of writes, a flush, a failover); a retry then
 * runs again, but publishes the same eventId (and, for a raise, the same caseId), which the
 * router and every reader drop as a repeat: a lost record costs a second Kafka write, never
 * a second case. The body is part of the name so that a key reused for another request
 * after its 24 hours names new ids rather than being taken for a repeat. `caseId` is the
 * case an event is added to; a raise makes its own.
 */
export function keyedRequestIds(
  organisationId: string,
  key: string,
  fingerprint: string,
  caseId?: string,
): RequestIds {
  return {
    caseId: caseId ?? nameUuid('alert-exchange case', organisationId, key, fingerprint),
    eventId: nameUuid('alert-exchange event', organisationId, key, fingerprint),
  };
}

/**
 * The Idempotency-Key mechanism (contract: Publishing alerts), kept in Redis for 24 hours
 * per organisation and key. Two concurrent requests with one key publish once: the
 * second waits for the first and gets its response. When an attempt fails (Kafka could
 * not take the event), the key keeps the ids it was given, so that the client's retry
 * publishes under the same eventId: downstream de-duplication on eventId then covers even
 * a send whose outcome Kafka never told us.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly waitMs = 15_000,
  ) {}

  /**
   * Runs `work` once per (organisation, key, fingerprint); without a key it just runs it.
   * `work` throws to refuse (nothing is kept: the key is free again) or to report
   * unavailability (the ids are kept for the retry).
   */
  async run(
    request: { organisationId: string; key: string | undefined; fingerprint: string },
    fresh: () => RequestIds,
    work: (ids: RequestIds) => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    if (request.key === undefined) return work(fresh());
    const redisKey = `ax:idem:${request.organisationId}:${createHash('sha256').update(request.key).digest('hex')}`;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const [verdict, raw] = await this.guard(
        () =>
          this.redis.eval(
            BEGIN,
            1,
            redisKey,
            request.fingerprint,
            JSON.stringify({
              fingerprint: request.fingerprint,
              state: 'in-flight',
              ids: fresh(),
            } satisfies Entry),
            String(LOCK_TTL_MS),
          ) as Promise<[string, string]>,
      );
      const entry = JSON.parse(raw) as Entry;
      if (verdict === 'conflict') {
        throw new ConflictError(
          'This Idempotency-Key was used with another request body; use a new key for a new request',
        );
      }
      if (verdict === 'replay') return entry.response!;
      if (verdict === 'run') return this.runLocked(redisKey, entry, work);
      if (Date.now() > deadline) {
        throw new ConflictError(
          'A request with this Idempotency-Key is still in progress; retry it later',
        );
      }
      await sleep(100);
    }
  }

  private async runLocked(
    redisKey: string,
    entry: Entry,
    work: (ids: RequestIds) => Promise<StoredResponse>,
  ): Promise<StoredResponse> {
    let response: StoredResponse;
    try {
      response = await work(entry.ids);
    } catch (error) {
      const keep = error instanceof UnavailableError;
      await (
        keep
          ? this.redis.set(
              redisKey,
              JSON.stringify({ ...entry, state: 'failed' }),
              'EX',
              IDEMPOTENCY_TTL_SECONDS,
            )
          : this.redis.del(redisKey)
      ).catch(() => undefined); // the lock expires by itself if Redis is gone too
      throw error;
    }
    // The event is in Kafka: the caller gets its 202 even if Redis fails to remember it now.
    await this.redis
      .set(
        redisKey,
        JSON.stringify({ ...entry, state: 'done', response } satisfies Entry),
        'EX',
        IDEMPOTENCY_TTL_SECONDS,
      )
      .catch(() => undefined);
    return response;
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (cause) {
      throw new UnavailableError('The idempotency store (Redis) did not answer', { cause });
    }
  }
}
