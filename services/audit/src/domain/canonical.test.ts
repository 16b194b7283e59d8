import type { AuditRecord } from '@alert-exchange/contracts';
import { canonicalJson, canonicalRecord, type JsonValue } from './canonical';

const ROUTED: AuditRecord = {
  seq: 0,
  at: 1_700_000_000_000,
  kind: 'ROUTED',
  actor: 'router',
  caseId: 'c-1',
  recipient: 'org-2',
  deliveryId: null,
  eventId: 'e-1',
  detail: { why: 'rule 3', country: 'BE' },
  traceId: null,
  prevHash: Buffer.alloc(32),
  hash: Buffer.alloc(32, 0xab),
};

describe('canonicalJson (RFC 8785)', () => {
  // Rows from RFC 8785 §3.2.2 and §3.2.3 and the ECMAScript number forms of Appendix B.
  it.each<[what: string, value: JsonValue, json: string]>([
    [
      'the example of §3.2.2: members sorted, strings escaped minimally',
      {
        numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
        string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
        literals: [null, true, false],
      },
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    ],
    [
      'the sorting example of §3.2.3: by UTF-16 code units, an emoji before U+FB33',
      {
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      },
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
    ['negative zero prints as 0', -0, '0'],
    ['the largest safe integer prints whole', 9007199254740991, '9007199254740991'],
    ['1e21 switches to exponent form', 1e21, '1e+21'],
    ['1e20 does not', 1e20, '100000000000000000000'],
    [
      'nested objects are sorted at every level',
      { b: { d: 1, c: 2 }, a: [] },
      '{"a":[],"b":{"c":2,"d":1}}',
    ],
    [
      'control characters other than the five short forms as \\u00xx',
      '\u0000\u001f\u007f',
      '"\\u0000\\u001f\u007f"',
    ],
  ])('%s', (_what, value, json) => {
    expect(canonicalJson(value)).toBe(json);
  });

  it.each<[what: string, value: JsonValue]>([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate as a member name', { '\udc00': 'x' }],
  ])('refuses %s, which has no I-JSON form', (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(RangeError);
  });
});

describe('canonicalRecord', () => {
  it('is the JCS of the eleven fields without hash, prevHash as lower-case hex', () => {
    expect(canonicalRecord(ROUTED).toString('utf8')).toBe(
      '{"actor":"router","at":1700000000000,"caseId":"c-1","deliveryId":null,' +
        '"detail":{"country":"BE","why":"rule 3"},"eventId":"e-1","kind":"ROUTED",' +
        `"prevHash":"${'0'.repeat(64)}","recipient":"org-2","seq":0,"traceId":null}`,
    );
  });

  it('does not depend on the hash field or on the order detail was built in', () => {
    const { hash: _hash, ...withoutHash } = ROUTED;
    const reordered = { ...withoutHash, detail: { country: 'BE', why: 'rule 3' } };
    expect(canonicalRecord(withoutHash)).toEqual(canonicalRecord(ROUTED));
    expect(canonicalRecord(reordered)).toEqual(canonicalRecord(ROUTED));
  });

  it('writes non-ASCII text as UTF-8, not escaped', () => {
    const bytes = canonicalRecord({ ...ROUTED, detail: { note: 'Zürich €' } });
    expect(bytes.includes(Buffer.from('"note":"Zürich €"', 'utf8'))).toBe(true);
  });

  it.each<[field: string, change: Partial<AuditRecord>]>([
    ['seq', { seq: 1 }],
    ['at', { at: ROUTED.at + 1 }],
    ['kind', { kind: 'DELIVERED' }],
    ['actor', { actor: 'gateway' }],
    ['caseId (to null)', { caseId: null }],
    ['recipient', { recipient: 'org-3' }],
    ['deliveryId', { deliveryId: 'd-1' }],
    ['eventId', { eventId: 'e-2' }],
    ['detail (a value)', { detail: { why: 'rule 4', country: 'BE' } }],
    ['detail (a member more)', { detail: { why: 'rule 3', country: 'BE', n: '1' } }],
    ['traceId', { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }],
    ['prevHash', { prevHash: Buffer.alloc(32, 1) }],
  ])('changes when %s changes', (_field, change) => {
    expect(canonicalRecord({ ...ROUTED, ...change })).not.toEqual(canonicalRecord(ROUTED));
  });

  it.each([1.5, NaN, 2 ** 53])(
    'refuses a seq of %s, which would not print as an integer',
    (seq) => {
      expect(() => canonicalRecord({ ...ROUTED, seq })).toThrow(RangeError);
    },
  );
});
