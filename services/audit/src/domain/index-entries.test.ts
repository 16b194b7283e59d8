import type { AuditRecord } from '@alert-exchange/contracts';
import { indexEntries, keys } from './index-entries';

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
      'a case fact without a delivery: the record and its place in the case',
      record({}),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
      ],
    ],
    [
      'a fact of no case (none yet): the record only',
      record({ caseId: null }),
      [{ op: 'set', key: 'ax:audit:record:7', value: 'LINE' }],
    ],
    [
      'a routing: the delivery becomes unacknowledged, with its recipient',
      record({ kind: 'ROUTED', recipient: 'hotline-at', deliveryId: 'd-1' }),
      [
        { op: 'set', key: 'ax:audit:record:7', value: 'LINE' },
        { op: 'zadd', key: 'ax:audit:case:case-1', score: 7, member: '7' },
        { op: 'zadd', key: keys.unacknowledged, score: 1_795_000_000_000, member: 'd-1' },
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
});
