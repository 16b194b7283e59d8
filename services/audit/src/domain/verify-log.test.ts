import { generateKeyPairSync } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { appendFact, recordHash, type AuditFact } from './chain';
import { checkpointOf, signCheckpoint } from './checkpoint';
import { verifyLog, type LogProblem, type SignedCheckpoint } from './verify-log';

const KEYS = generateKeyPairSync('ed25519');
const FORGER = generateKeyPairSync('ed25519');

function fact(n: number): AuditFact {
  return {
    at: 1_700_000_000_000 + n * 1000,
    kind: (['RECEIVED', 'ROUTED', 'DELIVERED', 'ACKNOWLEDGED'] as const)[n % 4]!,
    actor: n % 4 === 2 ? 'dispatcher' : 'router',
    caseId: `c-${Math.floor(n / 4)}`,
    recipient: n % 4 ? 'org-2' : null,
    deliveryId: n % 4 >= 2 ? `d-${n}` : null,
    eventId: `e-${Math.floor(n / 4)}`,
    detail: { step: String(n % 4) },
    traceId: null,
  };
}

function log(length: number, from: AuditRecord[] = []): AuditRecord[] {
  const records = [...from];
  while (records.length < length) records.push(appendFact(records.at(-1), fact(records.length)));
  return records;
}

const RECORDS = log(50);

/** Checkpoints at 10, 25 and 50 records, one a minute, signed by the log's key. */
function checkpoints(records: readonly AuditRecord[], key = KEYS.privateKey): SignedCheckpoint[] {
  return [10, 25, 50].map((size, i) => {
    const checkpoint = checkpointOf(records, 1_700_000_100_000 + i * 60_000, size);
    return { checkpoint, signature: signCheckpoint(checkpoint, key) };
  });
}

const CHECKPOINTS = checkpoints(RECORDS);

const swap = (r: AuditRecord[], a: number, b: number): AuditRecord[] =>
  r.map((x, i) => (i === a ? r[b]! : i === b ? r[a]! : x));

const root = (size: number): LogProblem => ({
  checkpointTreeSize: size,
  problem: `its rootHash is not the root of the first ${size} records`,
});

describe('verifyLog', () => {
  it('accepts a 50-record log with checkpoints at 10, 25 and 50', () => {
    expect(verifyLog(RECORDS, CHECKPOINTS, KEYS.publicKey)).toEqual({
      ok: true,
      records: 50,
      checkpoints: 3,
      problems: [],
    });
  });

  type Row = [
    what: string,
    records: AuditRecord[],
    checkpoints: SignedCheckpoint[],
    problems: LogProblem[],
  ];
  const rows: Row[] = [
    [
      "a record's detail altered: the record, and every checkpoint that covers it",
      RECORDS.map((x) => (x.seq === 17 ? { ...x, detail: { step: 'none' } } : x)),
      CHECKPOINTS,
      [{ seq: 17, problem: expect.stringMatching(/altered/) }, root(25), root(50)],
    ],
    [
      'a record dropped: the record after the gap, and the last checkpoint covers too many',
      RECORDS.filter((x) => x.seq !== 30),
      CHECKPOINTS,
      [
        { seq: 31, problem: 'seq 30 missing before it' },
        { checkpointTreeSize: 50, problem: 'it covers 50 records, the log has only 49' },
      ],
    ],
    [
      'two records swapped',
      swap(RECORDS, 12, 13),
      CHECKPOINTS,
      [{ seq: 13, problem: 'out of order: seq 13 comes before seq 12' }, root(25), root(50)],
    ],
    [
      'the tail rewritten and re-chained: the chain holds, the signed checkpoints do not',
      log(50, [
        ...RECORDS.slice(0, 20),
        appendFact(RECORDS[19], { ...fact(20), recipient: 'org-9' }),
      ]),
      CHECKPOINTS,
      [root(25), root(50)],
    ],
    [
      'a checkpoint signed by another key',
      RECORDS,
      [CHECKPOINTS[0]!, checkpoints(RECORDS, FORGER.privateKey)[1]!, CHECKPOINTS[2]!],
      [
        {
          checkpointTreeSize: 25,
          problem: 'its signature does not verify under the log public key',
        },
      ],
    ],
    [
      "a checkpoint's signature moved onto another checkpoint",
      RECORDS,
      [
        CHECKPOINTS[0]!,
        { ...CHECKPOINTS[1]!, signature: CHECKPOINTS[2]!.signature },
        CHECKPOINTS[2]!,
      ],
      [
        {
          checkpointTreeSize: 25,
          problem: 'its signature does not verify under the log public key',
        },
      ],
    ],
    [
      'a validly signed checkpoint whose root is not the log',
      RECORDS,
      [
        CHECKPOINTS[0]!,
        resigned({ ...CHECKPOINTS[1]!.checkpoint, rootHash: 'ab'.repeat(32) }),
        CHECKPOINTS[2]!,
      ],
      [root(25)],
    ],
    [
      'checkpoints that go back in size and time',
      RECORDS,
      [CHECKPOINTS[0]!, CHECKPOINTS[2]!, CHECKPOINTS[1]!],
      [
        { checkpointTreeSize: 25, problem: 'the log shrank: the checkpoint before covers 50' },
        { checkpointTreeSize: 25, problem: 'it is older than the checkpoint before it' },
      ],
    ],
    [
      'a malformed checkpoint',
      RECORDS,
      [{ checkpoint: { ...CHECKPOINTS[0]!.checkpoint, rootHash: 'zz' }, signature: '' }],
      [
        {
          checkpointTreeSize: 10,
          problem: expect.stringMatching(/malformed checkpoint: rootHash/),
        },
      ],
    ],
    [
      'a record that cannot be encoded',
      RECORDS.map((x) => (x.seq === 3 ? { ...x, at: 1.5 } : x)),
      [],
      [{ seq: 3, problem: expect.stringMatching(/cannot be encoded/) }],
    ],
  ];

  it.each(rows)('fails for %s, naming it', (_what, records, signed, problems) => {
    const report = verifyLog(records, signed, KEYS.publicKey);
    expect(report).toEqual({
      ok: false,
      records: records.length,
      checkpoints: signed.length,
      problems,
    });
  });

  it('a log without checkpoints is judged by its chain alone', () => {
    expect(verifyLog(RECORDS, [], KEYS.publicKey).ok).toBe(true);
    const forged = RECORDS.map((x) =>
      x.seq === 5 ? { ...x, actor: 'x', hash: recordHash({ ...x, actor: 'x' }) } : x,
    );
    expect(verifyLog(forged, [], KEYS.publicKey).problems).toEqual([
      { seq: 6, problem: 'its prevHash is not the hash of seq 5' },
    ]);
  });

  it('an empty log verifies against a checkpoint of nothing', () => {
    const empty = checkpointOf([], 1);
    const signed = [{ checkpoint: empty, signature: signCheckpoint(empty, KEYS.privateKey) }];
    expect(verifyLog([], signed, KEYS.publicKey).ok).toBe(true);
  });
});

function resigned(checkpoint: SignedCheckpoint['checkpoint']): SignedCheckpoint {
  return { checkpoint, signature: signCheckpoint(checkpoint, KEYS.privateKey) };
}
