import type { AuditCheckpoint, AuditRecord } from '@alert-exchange/contracts';
import {
  FollowedLog,
  type Admin,
  type AvroCodec,
  type Kafka,
  type Logger,
} from '@alert-exchange/platform';

/**
 * Reads the whole trail and its checkpoints from Kafka (read_committed, to their current
 * end), records in seq order: for the offline verifier and the export.
 */
export async function readTrail(options: {
  kafka: Kafka;
  admin: Admin;
  codec: AvroCodec;
  logger: Logger;
  auditTopic: string;
  checkpointsTopic: string;
}): Promise<{ records: AuditRecord[]; checkpoints: AuditCheckpoint[] }> {
  const records = await readAll<AuditRecord>(options, options.auditTopic);
  const checkpoints = await readAll<AuditCheckpoint>(options, options.checkpointsTopic);
  // In the order they were written; the verifier names a record out of place.
  return { records, checkpoints };
}

async function readAll<T>(
  options: { kafka: Kafka; admin: Admin; codec: AvroCodec; logger: Logger },
  topic: string,
): Promise<T[]> {
  const found: T[] = [];
  const log = await FollowedLog.open({
    ...options,
    topic,
    name: 'audit-reader',
    onRecord: async ({ message }) => {
      if (message.value) found.push((await options.codec.decode<T>(message.value)).value);
    },
  });
  try {
    await log.caughtUp(300_000);
  } finally {
    await log.close();
  }
  return found;
}
