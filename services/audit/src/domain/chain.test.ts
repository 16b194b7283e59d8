import { createHash } from 'node:crypto';
import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalRecord } from './canonical';
import { appendFact, GENESIS_HASH, recordHash, verifyChain, type AuditFact } from './chain';

function fact(n: number): AuditFact {
  return {
    at: 1_700_000_000_000 + n * 1000,
    kind: n % 2 ? 'DELIVERED' : 'ROUTED',
    actor: n % 2 ? 'dispatcher' : 'router',
    caseId: `c-${n % 3}`,
    recipient: 'org-2',
    deliveryId: n % 2 ? `d-${n}` : null,
    eventId: null,
    detail: { n: String(n) },
    traceId: null,
  };
}

function trail(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 0; n < length; n++) records.push(appendFact(records.at(-1), fact(n)));
  return records;
}

/** A copy of the record with `change` applied and its hash recomputed, as a forger would. */
function rehashed(record: AuditRecord, change: Partial<AuditRecord>): AuditRecord {
  const changed = { ...record, ...change };
  return { ...changed, hash: recordHash(changed) };
}

describe('appendFact', () => {
  it('starts the trail at seq 0 from the genesis hash (32 zero bytes)', () => {
    const first = appendFact(undefined, fact(0));
    expect(first.seq).toBe(0);
    expect(first.prevHash).toEqual(Buffer.alloc(32));
    expect(GENESIS_HASH).toEqual(Buffer.alloc(32));
  });

  it('chains each record to the one before with the next seq', () => {
    const [a, b, c] = trail(3);
    expect([b!.seq, c!.seq]).toEqual([1, 2]);
    expect(b!.prevHash).toEqual(a!.hash);
    expect(c!.prevHash).toEqual(b!.hash);
  });

  it('hashes the record as SHA-256 of its canonical bytes, prevHash included', () => {
    const [, b] = trail(2);
    const expected = createHash('sha256').update(canonicalRecord(b!)).digest();
    expect(b!.hash).toEqual(expected);
    expect(recordHash({ ...b!, prevHash: Buffer.alloc(32, 7) })).not.toEqual(b!.hash);
  });

  it('keeps the fact as given and does not share buffers with the previous record', () => {
    const [a, b] = trail(2);
    expect(b).toMatchObject(fact(1));
    expect(b!.prevHash).not.toBe(a!.hash);
  });

  it('ignores a seq, prevHash or hash carried in by mistake', () => {
    const stray = { ...fact(0), seq: 9, prevHash: Buffer.alloc(32, 1), hash: Buffer.alloc(32, 2) };
    expect(appendFact(undefined, stray)).toEqual(appendFact(undefined, fact(0)));
  });
});

describe('verifyChain', () => {
  it.each([0, 1, 2, 50])('accepts an untouched trail of %i records', (length) => {
    expect(verifyChain(trail(length))).toEqual({ ok: true });
  });

  type Row = [
    what: string,
    tamper: (r: AuditRecord[]) => AuditRecord[],
    seq: number,
    problem: RegExp,
  ];
  const rows: Row[] = [
    [
      'a detail altered',
      (r) => r.map((x) => (x.seq === 4 ? { ...x, detail: { n: 'forty' } } : x)),
      4,
      /altered/,
    ],
    [
      'the time altered',
      (r) => r.map((x) => (x.seq === 0 ? { ...x, at: x.at - 1 } : x)),
      0,
      /altered/,
    ],
    [
      'a hash replaced',
      (r) => r.map((x) => (x.seq === 7 ? { ...x, hash: Buffer.alloc(32, 9) } : x)),
      7,
      /altered/,
    ],
    [
      'a record altered and re-hashed: the next record no longer links to it',
      (r) => r.map((x) => (x.seq === 4 ? rehashed(x, { recipient: 'org-9' }) : x)),
      5,
      /prevHash is not the hash of seq 4/,
    ],
    ['a record dropped', (r) => r.filter((x) => x.seq !== 5), 6, /seq 5 missing/],
    [
      'three records dropped',
      (r) => r.filter((x) => x.seq < 5 || x.seq > 7),
      8,
      /seq 5 to 7 missing/,
    ],
    [
      'two records swapped',
      (r) => [...r.slice(0, 3), r[4]!, r[3]!, ...r.slice(5)],
      4,
      /out of order: seq 4 comes before seq 3/,
    ],
    [
      'a record duplicated',
      (r) => [...r.slice(0, 4), r[3]!, ...r.slice(4)],
      3,
      /seq 3 appears twice/,
    ],
    ['the first record dropped', (r) => r.slice(1), 1, /starts at seq 1, not 0/],
    [
      'seq 0 re-chained to a made-up predecessor',
      (r) => [rehashed(r[0]!, { prevHash: Buffer.alloc(32, 1) }), ...r.slice(1)],
      0,
      /genesis hash/,
    ],
    [
      'a record renumbered and re-hashed in place of another',
      (r) => r.map((x) => (x.seq === 6 ? rehashed(r[2]!, { seq: 6 }) : x)),
      6,
      /prevHash is not the hash of seq 5/,
    ],
    [
      'the trail truncated and a fresh record appended after the gap',
      (r) => [...r.slice(0, 5), appendFact(r[8], fact(99))],
      9,
      /seq 5 to 8 missing/,
    ],
  ];

  it.each(rows)('names the first bad record when %s', (_what, tamper, seq, problem) => {
    const verdict = verifyChain(tamper(trail(10)));
    expect(verdict).toEqual({ ok: false, seq, problem: expect.stringMatching(problem) });
  });

  it('names the earliest of two problems', () => {
    const records = trail(10).map((x) =>
      x.seq === 2 || x.seq === 8 ? { ...x, detail: { n: 'changed' } } : x,
    );
    expect(verifyChain(records)).toMatchObject({ ok: false, seq: 2 });
  });
});
