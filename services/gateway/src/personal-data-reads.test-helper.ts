import { randomBytes } from 'node:crypto';
import type { PersonalDataRead } from '@alert-exchange/contracts';
import { readRecords } from './delivery.test-helper';

/** A W3C trace of a test's own: the traceparent to send, and the trace id the gateway records. */
export function freshTrace(): { traceId: string; headers: { traceparent: string } } {
  const traceId = randomBytes(16).toString('hex');
  return {
    traceId,
    headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
  };
}

/** The records of personal-data reads made in `traceId`, as the audit service reads them. */
export async function readsIn(
  traceId: string,
): Promise<Array<{ key: string | null; value: PersonalDataRead }>> {
  return (await readRecords<PersonalDataRead>('personal-data-reads')).filter(
    (r) => r.value.traceId === traceId,
  );
}
