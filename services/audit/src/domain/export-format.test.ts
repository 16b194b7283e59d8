import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { appendFact } from './chain';
import { checkpointOf, keysFromSeed, signCheckpoint, publicKeyToBase64 } from './checkpoint';
import { checkpointLine, readExport, recordLine } from './export-format';
import { verifyLog } from './verify-log';

const keys = keysFromSeed(randomBytes(32).toString('base64'));

function trail(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(
      appendFact(records.at(-1), {
        at: 1_795_000_000_000 + i,
        kind: i % 2 ? 'ATTEMPTED' : 'ROUTED',
        actor: 'router',
        caseId: 'case-1',
        recipient: `org-${i}`,
        deliveryId: null,
        eventId: null,
        detail: {
          source: `routing-records/0/${i}#0`,
          reasons: 'hotline-of-destination: country=AT',
        },
        traceId: null,
      }),
    );
  }
  return records;
}

function exported(records: AuditRecord[], sizes: number[]): string {
  const lines = records.map(recordLine);
  for (const size of sizes) {
    const checkpoint = checkpointOf(records, 1_795_000_100_000 + size, size);
    lines.push(
      checkpointLine({
        ...checkpoint,
        signature: signCheckpoint(checkpoint, keys.privateKey),
        publicKey: publicKeyToBase64(keys.publicKey),
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('the audit export', () => {
  it('reads back exactly what was written, and the trail verifies from the file alone', () => {
    const records = trail(12);
    const back = readExport(exported(records, [5, 12]));
    expect(back.records).toEqual(records);
    expect(back.checkpoints.map((c) => c.checkpoint.treeSize)).toEqual([5, 12]);
    expect(verifyLog(back.records, back.checkpoints, keys.publicKey)).toMatchObject({ ok: true });
  });

  it.each([
    [
      'an altered detail',
      (lines: string[]) => {
        lines[7] = lines[7]!.replace('country=AT', 'country=DE');
      },
      7,
    ],
    ['a dropped record', (lines: string[]) => void lines.splice(4, 1), 5],
    [
      'two records swapped',
      (lines: string[]) => {
        [lines[2], lines[3]] = [lines[3]!, lines[2]!];
      },
      // seq 3 now stands where seq 2 belongs
      3,
    ],
  ])('names the record when a file has %s', (_name, tamper, seq) => {
    const lines = exported(trail(12), [12]).trim().split('\n');
    tamper(lines);
    const back = readExport(lines.join('\n'));
    const report = verifyLog(back.records, back.checkpoints, keys.publicKey);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ seq });
  });

  it.each([
    ['not JSON', '{nope', 'line 1 is not JSON'],
    ['an unknown line', '{"type":"other"}', 'line 1 is neither a record nor a checkpoint'],
    [
      'a record with a short hash',
      '{"type":"record","prevHash":"00","hash":"11"}',
      "line 1: a record's hashes must be 64 hex digits",
    ],
  ])('refuses %s, naming the line', (_name, text, message) => {
    expect(() => readExport(text)).toThrow(message);
  });
});
