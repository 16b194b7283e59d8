/* eslint-disable no-console -- these are the auditor's commands */
import { readFileSync, writeFileSync } from 'node:fs';
import { type Command } from 'commander';
import type { AuditRecord } from '@alert-exchange/contracts';
import {
  AvroCodec,
  connectAdmin,
  createKafka,
  createLogger,
  createRedis,
} from '@alert-exchange/platform';
import { publicKeyFromBase64 } from './domain/checkpoint';
import { checkpointLine, readExport, recordLine } from './domain/export-format';
import { verifyLog, type SignedCheckpoint } from './domain/verify-log';
import { AuditIndex } from './index-store';
import { readTrail } from './trail-reader';

interface KafkaOptions {
  brokers?: string;
  registry?: string;
  topic: string;
  checkpoints: string;
}

async function fromKafka(options: KafkaOptions) {
  if (!options.brokers || !options.registry)
    throw new Error('--brokers and --registry are needed to read the trail from Kafka');
  const brokers = options.brokers.split(',');
  const logger = createLogger({ service: 'audit-cli', level: 'warn' });
  const kafka = createKafka({ clientId: 'audit-cli', brokers, logger });
  const admin = await connectAdmin(kafka, brokers);
  try {
    return await readTrail({
      kafka,
      admin,
      logger,
      codec: new AvroCodec(options.registry),
      auditTopic: options.topic,
      checkpointsTopic: options.checkpoints,
    });
  } finally {
    await admin.disconnect();
  }
}

const withKafka = (command: Command): Command =>
  command
    .option('--brokers <list>', 'Kafka brokers, comma-separated')
    .option('--registry <url>', 'schema registry (Confluent API) base URL')
    .option('--topic <name>', 'the audit topic', 'audit')
    .option('--checkpoints <name>', 'the checkpoints topic', 'audit.checkpoints');

/**
 * The auditor's tools (docs/AUDIT.md), added to `program`: export the trail and its
 * checkpoints to a file of JSON lines; verify a trail — from Kafka or from such a file —
 * with the public key alone (exit code 1, naming each problem: the record's seq, the
 * checkpoint's size, when anything was altered, removed or reordered); rebuild the query
 * index. `exchange-audit` is these commands; the operators' `exchange audit` mounts them.
 */
export function auditCommands(program: Command): Command {
  withKafka(program.command('export'))
    .description('Write the trail and its checkpoints to a file, one JSON object per line')
    .requiredOption('--out <file>', 'where to write the export')
    .action(async (options: KafkaOptions & { out: string }) => {
      const { records, checkpoints } = await fromKafka(options);
      const lines = [...records.map(recordLine), ...checkpoints.map(checkpointLine)];
      writeFileSync(options.out, lines.map((l) => `${l}\n`).join(''));
      console.log(
        `exported ${records.length} records and ${checkpoints.length} checkpoints to ${options.out}`,
      );
    });

  withKafka(program.command('verify'))
    .description(
      'Verify the chain, the Merkle tree and every signed checkpoint with the public key alone',
    )
    .requiredOption('--public-key <base64>', 'the raw 32-byte Ed25519 public key, base64')
    .option('--file <export>', 'verify an export instead of the topic')
    .action(async (options: KafkaOptions & { publicKey: string; file?: string }) => {
      const publicKey = publicKeyFromBase64(options.publicKey);
      let records: AuditRecord[];
      let checkpoints: SignedCheckpoint[];
      if (options.file) {
        ({ records, checkpoints } = readExport(readFileSync(options.file, 'utf8')));
      } else {
        const trail = await fromKafka(options);
        records = trail.records;
        checkpoints = trail.checkpoints.map((c) => ({
          checkpoint: {
            treeSize: Number(c.treeSize),
            rootHash: c.rootHash,
            timestamp: Number(c.timestamp),
          },
          signature: c.signature,
        }));
      }
      const report = verifyLog(records, checkpoints, publicKey);
      if (report.ok) {
        console.log(
          `verified: ${report.records} records and ${report.checkpoints} signed checkpoints; the chain and the tree are intact`,
        );
        return;
      }
      console.log(`NOT VERIFIED: ${report.records} records, ${report.checkpoints} checkpoints`);
      for (const p of report.problems) {
        const where = [
          p.seq !== undefined ? `record seq ${p.seq}` : '',
          p.checkpointTreeSize !== undefined ? `checkpoint of size ${p.checkpointTreeSize}` : '',
        ]
          .filter(Boolean)
          .join(', ');
        console.log(`  ${where}: ${p.problem}`);
      }
      process.exitCode = 1;
    });

  withKafka(program.command('rebuild-index'))
    .description('Wipe the query index in Redis and build it again from the trail in Kafka')
    .requiredOption('--redis <url>', 'the Redis of the index, redis://host:port')
    .action(async (options: KafkaOptions & { redis: string }) => {
      const { records, checkpoints } = await fromKafka(options);
      const redis = createRedis(
        options.redis,
        createLogger({ service: 'audit-cli', level: 'warn' }),
      );
      try {
        await new AuditIndex(redis).rebuild(records, checkpoints);
      } finally {
        await redis.quit();
      }
      console.log(
        `rebuilt the audit index from ${records.length} records and ${checkpoints.length} checkpoints`,
      );
    });
  return program;
}
