import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import type { AvroCodec } from '../avro';
import { ExchangeError } from '../errors';
import { CompactedView } from '../kafka/compacted-view';
import type { Logger } from '../logging';
import type { MasterKey } from './master-key';
import { dueForErasure, erasureDueAt } from './retention';
import { newKey, open, seal, type Sealed } from './sealing';

/** A data key as the privacy.case-keys topic holds it (eu.alertexchange.CaseDataKey). */
export interface CaseKeyRecord {
  caseId: string;
  keyId: string;
  masterKeyId: string;
  iv: Buffer;
  wrappedKey: Buffer;
  createdAt: number;
  closedAt: number | null;
  eraseAt: number | null;
}

/** The topic's record id: one record per data key, never overwritten by another key. */
const idOf = (record: Pick<CaseKeyRecord, 'caseId' | 'keyId'>): string =>
  `${record.caseId}/${record.keyId}`;

/**
 * The cases' data keys (envelope encryption, docs/PRIVACY.md): each case's personal data
 * is sealed with a data key of its own, and the data keys, sealed with the master key,
 * are kept in the compacted topic privacy.case-keys, one record per key
 * (`<caseId>/<keyId>`: two instances making a key for the same case at once each keep
 * theirs, and both open what they sealed). Erasing a case writes a tombstone for each of
 * its keys; once compaction has dropped the records, nothing sealed with them can be
 * opened again. Unsealed keys are cached in memory only while the view still holds them.
 */
export class CaseKeyring {
  private readonly unsealed = new Map<string, Buffer>();

  private constructor(
    private readonly view: CompactedView<CaseKeyRecord>,
    private readonly masterKey: MasterKey,
    private readonly now: () => number,
  ) {}

  /** Reads privacy.case-keys (or `caseKeysTopic`) to its end and keeps following it. */
  static async open(options: {
    kafka: Kafka;
    codec: AvroCodec;
    producer: Producer;
    logger: Logger;
    masterKey: MasterKey;
    caseKeysTopic?: string;
    now?: () => number;
  }): Promise<CaseKeyring> {
    const view = await CompactedView.open<CaseKeyRecord>({
      ...options,
      topic: options.caseKeysTopic ?? 'privacy.case-keys',
      subject: 'eu.alertexchange.CaseDataKey',
      idOf,
      name: 'case-keys',
    });
    return new CaseKeyring(view, options.masterKey, options.now ?? Date.now);
  }

  /** The keys of `caseId` this instance knows, oldest first. */
  keysOf(caseId: string): CaseKeyRecord[] {
    const keys: CaseKeyRecord[] = [];
    // A scan of the view (no index by case yet): once per event that names no key.
    for (const record of this.view.values()) if (record.caseId === caseId) keys.push(record);
    return keys.sort((a, b) => a.createdAt - b.createdAt || a.keyId.localeCompare(b.keyId));
  }

  /**
   * Seals `plain` (personal data of `caseId`) with the case's data key `keyId` when it is
   * given and still there, else with the case's first key, making and storing one
   * (acks=all, before anything is sealed with it) when the case has none.
   */
  async seal(caseId: string, plain: Buffer, keyId?: string): Promise<Sealed> {
    const named = keyId === undefined ? undefined : this.view.get(idOf({ caseId, keyId }));
    const [known] = named ? [named] : this.keysOf(caseId);
    if (known) return seal(plain, await this.unseal(known), known.keyId, caseId);
    const key = newKey();
    const newKeyId = randomUUID();
    const wrapped = await this.masterKey.wrap(key, caseId);
    const record: CaseKeyRecord = {
      caseId,
      keyId: newKeyId,
      masterKeyId: this.masterKey.id,
      iv: wrapped.iv,
      wrappedKey: wrapped.ciphertext,
      createdAt: this.now(),
      closedAt: null,
      eraseAt: null,
    };
    await this.view.put(record);
    this.unsealed.set(idOf(record), key);
    return seal(plain, key, newKeyId, caseId);
  }

  /**
   * Opens what `seal` sealed for `caseId`, or undefined when its key is gone (erased). A
   * key this instance has not read yet is waited for (the topic read to its end), since
   * the key is in Kafka before anything sealed with it. Throws SealBrokenError when the
   * bytes do not open with the key, UnavailableError when Kafka cannot be read.
   */
  async open(caseId: string, sealed: Sealed): Promise<Buffer | undefined> {
    const id = idOf({ caseId, keyId: sealed.keyId });
    let record = this.view.get(id);
    if (!record) {
      await this.view.sync();
      record = this.view.get(id);
    }
    if (!record) {
      this.unsealed.delete(id);
      return undefined;
    }
    return open(sealed, await this.unseal(record), caseId);
  }

  /**
   * Records that `caseId` was closed at `closedAt`: its keys (every key written before
   * the call, by any instance) are to be destroyed `retentionMs` later. A case closed
   * again keeps its first closing time.
   */
  async closeCase(caseId: string, closedAt: number, retentionMs: number): Promise<void> {
    // The keys another instance wrote (the gateway's, before the event) are read first.
    await this.view.sync();
    for (const key of this.keysOf(caseId)) {
      await this.view.update(idOf(key), (current) =>
        !current || current.closedAt !== null
          ? { result: undefined }
          : {
              write: { ...current, closedAt, eraseAt: erasureDueAt(closedAt, retentionMs) },
              result: undefined,
            },
      );
    }
  }

  /** The cases whose keys are due for destruction at `now`, earliest first. */
  due(now: number = this.now()): string[] {
    const schedule = new Map<string, number>();
    for (const record of this.view.values()) {
      if (record.eraseAt === null) continue;
      schedule.set(
        record.caseId,
        Math.min(schedule.get(record.caseId) ?? Infinity, record.eraseAt),
      );
    }
    return dueForErasure(schedule, now);
  }

  /**
   * Destroys the keys of `caseId` (tombstones, acks=all): those named by `keyIds`, or every
   * key of the case without it. Returns the ids of the keys destroyed, oldest first; a
   * key already gone is passed over, so that destroying again is harmless.
   */
  async erase(caseId: string, keyIds?: readonly string[]): Promise<string[]> {
    const keys = this.keysOf(caseId).filter((k) => !keyIds || keyIds.includes(k.keyId));
    for (const key of keys) {
      await this.view.remove(idOf(key));
      this.unsealed.delete(idOf(key));
    }
    return keys.map((k) => k.keyId);
  }

  /**
   * Reads the topic to the end it has now: afterwards this instance knows every key
   * written before the call (another instance's too). UnavailableError when Kafka cannot
   * be read.
   */
  sync(): Promise<void> {
    return this.view.sync();
  }

  /** Stops following the topic. */
  async stop(): Promise<void> {
    await this.view.close();
  }

  private async unseal(record: CaseKeyRecord): Promise<Buffer> {
    const cached = this.unsealed.get(idOf(record));
    if (cached) return cached;
    if (record.masterKeyId !== this.masterKey.id)
      throw new ExchangeError(
        `The data key ${record.keyId} was sealed with master key ${record.masterKeyId}, not ${this.masterKey.id}`,
        { retriable: false },
      );
    const key = await this.masterKey.unwrap(
      { keyId: record.masterKeyId, iv: record.iv, ciphertext: record.wrappedKey },
      record.caseId,
    );
    this.unsealed.set(idOf(record), key);
    return key;
  }
}
