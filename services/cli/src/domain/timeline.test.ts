import { describe as describeEntry, timeline, type TrailEntry } from './timeline';

const entry = (seq: number, at: string, more: Partial<TrailEntry>): TrailEntry => ({
  seq,
  at,
  kind: 'RECEIVED',
  actor: 'ngo-de-1',
  recipient: null,
  deliveryId: null,
  eventId: 'e-1',
  detail: {},
  traceId: null,
  hash: 'ab'.repeat(32),
  prevHash: '00'.repeat(32),
  ...more,
});

describe('the timeline of a case', () => {
  it.each<[string, Partial<TrailEntry>, string]>([
    [
      'a publication',
      {
        kind: 'PUBLISHED',
        detail: {
          eventType: 'RAISED',
          category: 'RUNAWAY',
          urgency: 'IMMEDIATE',
          caseCountry: 'DE',
        },
      },
      'RAISED (RUNAWAY, IMMEDIATE, DE)',
    ],
    [
      'a routing, with its level and reasons',
      {
        kind: 'ROUTED',
        actor: 'router',
        recipient: 'hotline-fr',
        detail: {
          eventType: 'RAISED',
          viewLevel: 'IDENTIFY_SPECIAL',
          reasons: 'hotline-of-destination: country=FR',
        },
      },
      'RAISED → hotline-fr at IDENTIFY_SPECIAL: hotline-of-destination: country=FR',
    ],
    [
      'a routing to no one',
      { kind: 'ROUTED', actor: 'router', detail: { eventType: 'UPDATED', recipients: '0' } },
      'UPDATED to no one',
    ],
    [
      'a failed attempt, with the next one',
      {
        kind: 'ATTEMPTED',
        recipient: 'hotline-fr',
        detail: {
          attempt: '1',
          httpStatus: '500',
          latencyMs: '12',
          nextAttemptAt: '2026-11-23T10:00:10.000Z',
        },
      },
      '→ hotline-fr attempt 1: HTTP 500 in 12 ms, next at 2026-11-23T10:00:10.000Z',
    ],
    [
      'an attempt without an answer',
      { kind: 'ATTEMPTED', recipient: 'ngo-fr-1', detail: { attempt: '2', error: 'timeout' } },
      '→ ngo-fr-1 attempt 2: timeout',
    ],
    [
      'a delivery',
      {
        kind: 'DELIVERED',
        recipient: 'hotline-fr',
        detail: { attempt: '2', httpStatus: '204', latencyMs: '8' },
      },
      '→ hotline-fr attempt 2: HTTP 204 in 8 ms',
    ],
    ['an acknowledgement', { kind: 'ACKNOWLEDGED', detail: { status: 'ACTIONED' } }, 'ACTIONED'],
    [
      'an escalation',
      { kind: 'ESCALATED', recipient: 'hotline-fr', detail: { reason: 'NOT_ACKNOWLEDGED' } },
      '→ hotline-fr NOT_ACKNOWLEDGED',
    ],
    [
      'an escalation closed',
      { kind: 'ESCALATED', recipient: 'hotline-fr', detail: { closed: 'true' } },
      '→ hotline-fr closed: acknowledged after the escalation',
    ],
    [
      'a dead letter',
      {
        kind: 'DEAD_LETTERED',
        recipient: 'hotline-fr',
        detail: { attempt: '9', error: 'status=503' },
      },
      '→ hotline-fr after 9 attempts: status=503',
    ],
    [
      'a replay',
      { kind: 'REPLAYED', actor: 'operator-1', recipient: 'hotline-fr' },
      '→ hotline-fr sent again',
    ],
    [
      'a read of the case',
      { kind: 'PERSONAL_DATA_READ', detail: { via: 'INBOX', viewLevel: 'IDENTIFY' } },
      'case shown via INBOX at IDENTIFY',
    ],
    [
      'a kind it does not know',
      { kind: 'ERASED', detail: { source: 'x', field: 'names' } },
      'field=names',
    ],
  ])('says what %s means', (_name, more, text) => {
    expect(describeEntry(entry(0, '2026-11-23T10:00:00.000Z', more))).toBe(text);
  });

  it('orders by time, then by seq, one line each, with the delivery', () => {
    const lines = timeline([
      entry(5, '2026-11-23T10:00:02.000Z', {
        kind: 'DELIVERED',
        actor: 'dispatcher',
        recipient: 'hotline-fr',
        deliveryId: 'd-1',
        detail: { attempt: '1', httpStatus: '204' },
      }),
      entry(3, '2026-11-23T10:00:01.000Z', { kind: 'PUBLISHED', detail: { eventType: 'RAISED' } }),
      entry(2, '2026-11-23T10:00:01.000Z', { detail: { eventType: 'RAISED' } }),
    ]);
    expect(lines).toEqual([
      '2026-11-23T10:00:01.000Z  RECEIVED          ngo-de-1                RAISED ()',
      '2026-11-23T10:00:01.000Z  PUBLISHED         ngo-de-1                RAISED ()',
      '2026-11-23T10:00:02.000Z  DELIVERED         dispatcher              → hotline-fr attempt 1: HTTP 204  [delivery d-1]',
    ]);
  });
});
