import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { PoisonMessageError, UnavailableError } from '../errors';

/** Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian int. */
const MAGIC_BYTE = 0;
const HEADER_LENGTH = 5;

/** A decoded message: its writer's schema id and the record. */
export interface Decoded<T> {
  readonly schemaId: number;
  readonly value: T;
}

/** Node's and mappersmith's words for a request that got no answer. */
const NETWORK_FAILURE =
  /\b(ECONNREFUSED|ECONNRESET|ECONNABORTED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|timed out)\b|\bTimeout \(\d+ms\)/i;

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Encodes and decodes Avro records in the Confluent wire format against a schema registry,
 * caching schemas by id so the hot path makes no HTTP round trip after the first message.
 * Decoding failures are classified: a message that can never be read is a
 * `PoisonMessageError` (dead-letter it); an unreachable registry is an `UnavailableError`
 * (pause and retry).
 */
export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly latestIds = new Map<string, Promise<number>>();

  /** @param registryUrl base URL of a Confluent-compatible registry API. */
  constructor(readonly registryUrl: string) {
    this.registry = new SchemaRegistry({ host: registryUrl, retry: { retries: 2 } });
  }

  /** Registers `schema` under `subject` (idempotent: the same schema keeps its id). */
  async register(subject: string, schema: object): Promise<number> {
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject },
      );
      return id;
    } catch (cause) {
      throw classifyRegistryError(cause, `register a schema under ${subject}`);
    }
  }

  /** The id of the latest schema of `subject`, looked up once per codec. */
  latestSchemaId(subject: string): Promise<number> {
    let id = this.latestIds.get(subject);
    if (!id) {
      id = this.registry.getLatestSchemaId(subject).catch((cause: unknown) => {
        this.latestIds.delete(subject);
        throw classifyRegistryError(cause, `find the latest schema of ${subject}`);
      });
      this.latestIds.set(subject, id);
    }
    return id;
  }

  /** Encodes `value` with the schema `schemaId`; a value the schema refuses is a bug of the caller. */
  async encode(schemaId: number, value: unknown): Promise<Buffer> {
    try {
      return await this.registry.encode(schemaId, value);
    } catch (cause) {
      throw classifyRegistryError(cause, `encode with schema ${schemaId}`);
    }
  }

  /**
   * Decodes a Confluent wire-format message. With `expected` (a record's full name, which
   * is also its subject: RecordNameStrategy), a message written with a schema of another
   * record is poison: it decodes, but is not a `T`, and handling it as one would act on
   * missing fields.
   */
  async decode<T>(message: Buffer | null, expected?: string): Promise<Decoded<T>> {
    if (!message || message.length < HEADER_LENGTH) {
      throw new PoisonMessageError('message is too short to carry the Confluent wire format');
    }
    if (message[0] !== MAGIC_BYTE) {
      throw new PoisonMessageError(`bad magic byte ${message[0]}: not Confluent wire format`);
    }
    const schemaId = message.readInt32BE(1);
    const doing = `decode a message written with schema ${schemaId}`;
    if (expected !== undefined) {
      let written: string | undefined;
      try {
        written = ((await this.registry.getSchema(schemaId)) as { name?: string }).name;
      } catch (cause) {
        throw classifyRegistryError(cause, doing);
      }
      if (written !== expected)
        throw new PoisonMessageError(
          `a ${written ?? 'unnamed'} record (schema ${schemaId}) where ${expected} was expected`,
        );
    }
    try {
      const value = (await this.registry.decode(message)) as T;
      return { schemaId, value };
    } catch (cause) {
      throw classifyRegistryError(cause, doing);
    }
  }
}

/**
 * What a failed call to the registry means for the record: `PoisonMessageError` when the
 * registry answered that it cannot be read (404 unknown schema, another 4xx, a schema
 * avsc refuses), `UnavailableError` when the registry did not answer. The client library
 * (through mappersmith) reports a network failure (connection refused or reset, a time-out,
 * a name that does not resolve) as a ResponseError with status 400 whose message is the
 * socket's error: that is the registry not answering, never a verdict on the record.
 */
export function classifyRegistryError(cause: unknown, doing: string): Error {
  const status = statusOf(cause);
  const message = (cause as Error | null)?.message ?? '';
  if (status === 400 && NETWORK_FAILURE.test(message))
    return new UnavailableError(`could not ${doing}: the schema registry did not answer`, {
      cause,
    });
  if (status === 404)
    return new PoisonMessageError(`could not ${doing}: unknown to the registry`, { cause });
  if (status !== undefined && status >= 400 && status < 500) {
    return new PoisonMessageError(`could not ${doing}: refused by the registry (${status})`, {
      cause,
    });
  }
  const name = (cause as Error | null)?.name ?? '';
  if (
    name.startsWith('ConfluentSchemaRegistry') ||
    cause instanceof RangeError ||
    cause instanceof TypeError
  ) {
    return new PoisonMessageError(`could not ${doing}: ${(cause as Error).message}`, { cause });
  }
  return new UnavailableError(`could not ${doing}: the schema registry did not answer`, { cause });
}

/** True when the registry answers `GET /subjects`. */
export async function isRegistryReachable(
  registryUrl: string,
  timeoutMs = 2_000,
): Promise<boolean> {
  try {
    const response = await fetch(`${registryUrl}/subjects`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}
