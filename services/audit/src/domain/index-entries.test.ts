import type { AuditRecord } from '@alert-exchange/contracts';
import { checkpointEntries, indexEntries, keys, nodeEntries } from './index-entries';

const record = (more: Partial<AuditRecord>): AuditRecord => ({
  seq: 7,
  at: 1_795_000_000_000,
  kind: 'PUBLISHED',
  actor: 'ngo-de-1',
  caseId: 'case-1',
  recipient: null,
  deliveryId: null,
  eventId: 'event-1',
  detail: {},
  traceId: null,
  prevHash: Buffer.alloc(32),
  hash: Buffer.alloc(32, 1),
  ...more,
});

describe('audit index entries', () => {
  it.each([
    [
      'a published event: the record, its place in the case, and the event by time',
      record({ detail: { eventType: 'RAISED' } }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        { op: 'zadd', key: keys.events, score: 1_795_000_000_000, member: 'event-1' },
        {
          op: 'hset',
          key: 'ax:audit:event:event-1',
          fields: {
            caseId: 'case-1',
            kind: 'PUBLISHED',
            eventType: 'RAISED',
            publishedAt: '1795000000000',
            seq: '7',
          },
        },
      ],
    ],
    [
      'a received event: the record and its place in the case only',
      record({ kind: 'RECEIVED' }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
      ],
    ],
    [
      'a fact of no case (none yet): the record only',
      record({ caseId: null, kind: 'RECEIVED' }),
      [{ op: 'set', key: 'ax:audit:record:7', value: 'LINE' }],
    ],
    [
      'a routing: the delivery becomes unacknowledged, with its recipient',
      record({ kind: 'ROUTED', recipient: 'hotline-at', deliveryId: 'd-1' }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        {
          op: 'hset',
          key: 'ax:audit:event:event-1',
          fields: { routedAt: '1795000000000' },
        },
        { op: 'zadd', key: keys.unacknowledged, score: 1_795_000_000_000, member: 'd-1' },
        { op: 'zadd', key: keys.deliveries, score: 1_795_000_000_000, member: 'd-1' },
        {
          op: 'hset',
          key: 'ax:audit:delivery:d-1',
          fields: {
            state: 'ROUTED',
            stateAt: '1795000000000',
            seq: '7',
            recipient: 'hotline-at',
            caseId: 'case-1',
            routedAt: '1795000000000',
          },
        },
      ],
    ],
    [
      'an acknowledgement: no longer unacknowledged, and the hash remembers it',
      record({ kind: 'ACKNOWLEDGED', recipient: 'hotline-at', deliveryId: 'd-1' }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        { op: 'zrem', key: keys.unacknowledged, member: 'd-1' },
        {
          op: 'hset',
          key: 'ax:audit:delivery:d-1',
          fields: {
            state: 'ACKNOWLEDGED',
            stateAt: '1795000000000',
            seq: '7',
            recipient: 'hotline-at',
            caseId: 'case-1',
            acknowledgedAt: '1795000000000',
          },
        },
      ],
    ],
    [
      'a routing to nobody: the event is routed, no delivery',
      record({ kind: 'ROUTED', recipient: null, deliveryId: null }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        {
          op: 'hset',
          key: 'ax:audit:event:event-1',
          fields: { routedAt: '1795000000000' },
        },
      ],
    ],
    [
      'a dead letter: the delivery remembers it',
      record({ kind: 'DEAD_LETTERED', recipient: 'hotline-at', deliveryId: 'd-1', eventId: null }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        {
          op: 'hset',
          key: 'ax:audit:delivery:d-1',
          fields: {
            state: 'DEAD_LETTERED',
            stateAt: '1795000000000',
            seq: '7',
            recipient: 'hotline-at',
            caseId: 'case-1',
            deadLetteredAt: '1795000000000',
          },
        },
      ],
    ],
    [
      'an attempt: the delivery’s latest state only',
      record({ kind: 'ATTEMPTED', recipient: 'hotline-at', deliveryId: 'd-1' }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        {
          op: 'hset',
          key: 'ax:audit:delivery:d-1',
          fields: {
            state: 'ATTEMPTED',
            stateAt: '1795000000000',
            seq: '7',
            recipient: 'hotline-at',
            caseId: 'case-1',
          },
        },
      ],
    ],
  ])('%s', (_name, r, expected) => {
    expect(indexEntries(r, 'LINE')).toEqual(expected);
  });

  it('stores the nodes a record completed in the tree hash, in hex', () => {
    expect(
      nodeEntries([
        { level: 0, index: 3, hash: Buffer.alloc(32, 0xab) },
        { level: 1, index: 1, hash: Buffer.alloc(32, 0x01) },
      ]),
    ).toEqual([
      {
        op: 'hset',
        key: keys.tree,
        fields: { '0:3': 'ab'.repeat(32), '1:1': '01'.repeat(32) },
      },
    ]);
    expect(nodeEntries([])).toEqual([]);
  });

  it.each([
    ['the first checkpoint', undefined, 1],
    ['a larger one', 10, 1],
    ['one of the same size', 12, 1],
    ['an older, smaller one (a rebuild reads them in order, but never goes back)', 13, 0],
  ])('keeps %s as the latest', (_name, latest, count) => {
    const checkpoint = {
      treeSize: 12,
      rootHash: 'ab'.repeat(32),
      timestamp: 1,
      signature: 's',
      publicKey: 'k',
    };
    expect(checkpointEntries(checkpoint, 'LINE', latest)).toHaveLength(count);
  });
});
