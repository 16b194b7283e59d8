import { z } from 'zod';
import { loadConfig, type Environment } from '../config';
import { open, seal, KEY_BYTES, type Sealed } from './sealing';

/**
 * The key that encrypts the cases' data keys (a key-encryption key). Locally and in tests
 * it comes from configuration; in production the same interface fronts a KMS, so that the
 * master key never enters the process (docs/PRIVACY.md).
 */
export interface MasterKey {
  /** Which master key wrapped a data key, so that a rotated one can still unwrap old keys. */
  readonly id: string;
  /** `dataKey` of `caseId`, encrypted. */
  wrap(dataKey: Buffer, caseId: string): Promise<Sealed>;
  /** The data key of `caseId` that `wrap` encrypted; throws SealBrokenError otherwise. */
  unwrap(wrapped: Sealed, caseId: string): Promise<Buffer>;
}

/** A master key held in memory: AES-256-GCM over the data key, bound to the case. */
export class LocalMasterKey implements MasterKey {
  constructor(
    readonly id: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== KEY_BYTES) throw new RangeError(`A master key is ${KEY_BYTES} bytes`);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- a KMS answers later
  async wrap(dataKey: Buffer, caseId: string): Promise<Sealed> {
    return seal(dataKey, this.key, this.id, `case-key:${caseId}`);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- a KMS answers later
  async unwrap(wrapped: Sealed, caseId: string): Promise<Buffer> {
    return open(wrapped, this.key, `case-key:${caseId}`);
  }
}

const base64Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, `must be ${KEY_BYTES} random bytes in base64`)
  .transform((text) => Buffer.from(text, 'base64'))
  .refine((bytes) => bytes.length === KEY_BYTES, `must be ${KEY_BYTES} random bytes in base64`);

/**
 * The master key from `PERSONAL_DATA_MASTER_KEY` (32 random bytes in base64, e.g.
 * `openssl rand -base64 32`) and its id `PERSONAL_DATA_MASTER_KEY_ID` (default `local-1`);
 * a ConfigError naming the variable when it is missing or malformed.
 */
export function masterKeyFromEnvironment(environment: Environment): MasterKey {
  const config = loadConfig(
    {
      PERSONAL_DATA_MASTER_KEY: base64Key,
      PERSONAL_DATA_MASTER_KEY_ID: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or _')
        .default('local-1'),
    },
    environment,
  );
  return new LocalMasterKey(config.PERSONAL_DATA_MASTER_KEY_ID, config.PERSONAL_DATA_MASTER_KEY);
}

/**
 * What a service that seals or opens personal data reads at start-up: the master key (as
 * `masterKeyFromEnvironment`) and the topic of the cases' data keys, `CASE_KEYS_TOPIC`
 * (default `privacy.case-keys`).
 */
export function privacyConfig(environment: Environment): {
  masterKey: MasterKey;
  caseKeysTopic: string;
} {
  const { CASE_KEYS_TOPIC } = loadConfig(
    {
      CASE_KEYS_TOPIC: z
        .string()
        .regex(/^[A-Za-z0-9._-]+$/)
        .default('privacy.case-keys'),
    },
    environment,
  );
  return { masterKey: masterKeyFromEnvironment(environment), caseKeysTopic: CASE_KEYS_TOPIC };
}
