import type { AvroCodec, CaseKeyring, Producer } from '@alert-exchange/platform';
import type { CaseErasure, ErasureReason } from './generated/avro-types';

export const CASE_ERASURE_SUBJECT = 'eu.alertexchange.CaseErasure';

/** Where erasures are recorded: the privacy.erasures topic (or a test's). */
export interface ErasureLog {
  readonly producer: Producer;
  readonly codec: AvroCodec;
  readonly topic: string;
}

/** What is to be erased, why, and at whose request. */
export interface ErasureRequest {
  readonly caseId: string;
  readonly erasureId: string;
  readonly reason: ErasureReason;
  readonly requestedBy: string;
}

/** The erasure id of the erasure the retention schedules: one per case, whoever writes it. */
export const retentionErasureId = (caseId: string): string => `retention:${caseId}`;

/**
 * Erases a case's personal data (docs/PRIVACY.md): the case's data keys, as this instance
 * knows them once it has read privacy.case-keys to its end, are named in a CaseErasure
 * record (with the case's first closing, if it was closed) written acks=all to the
 * erasure log, then destroyed (tombstones). The record comes
 * first: a crash between the two leaves a record whose keys the router's eraser destroys
 * when it reads it, never keys destroyed without a trace in the audit trail.
 */
export async function eraseCase(
  keyring: CaseKeyring,
  log: ErasureLog,
  request: ErasureRequest,
  at: number = Date.now(),
): Promise<CaseErasure> {
  await keyring.sync();
  const keys = keyring.keysOf(request.caseId);
  const closings = keys.flatMap((k) => (k.closedAt === null ? [] : [k.closedAt]));
  const erasure: CaseErasure = {
    ...request,
    at,
    closedAt: closings.length > 0 ? Math.min(...closings) : null,
    keyIds: keys.map((k) => k.keyId),
  };
  const value = await log.codec.encode(
    await log.codec.latestSchemaId(CASE_ERASURE_SUBJECT),
    erasure,
  );
  await log.producer.send({
    topic: log.topic,
    acks: -1,
    messages: [{ key: request.caseId, value }],
  });
  await keyring.erase(request.caseId, erasure.keyIds);
  return erasure;
}
