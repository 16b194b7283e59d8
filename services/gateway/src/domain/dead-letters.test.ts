import { selectDeadLetters, type DeadLetter } from './dead-letters';

const letter = (deliveryId: string, recipientId: string, deadLetteredAt: string): DeadLetter => ({
  deliveryId,
  caseId: 'c0000000-0000-4000-8000-000000000000',
  recipientId,
  eventType: 'RAISED',
  deadLetteredAt,
  attempts: 29,
  lastError: 'status=503',
});

const LETTERS = [
  letter('d1', 'hotline-at', '2026-11-20T08:00:00Z'),
  letter('d2', 'hotline-at', '2026-11-21T08:00:00Z'),
  letter('d3', 'ngo-de', '2026-11-22T08:00:00+01:00'),
  letter('d4', 'ngo-de', '2026-11-20T08:00:00Z'),
];
const at = (iso: string): number => Date.parse(iso);

describe('selecting dead letters', () => {
  it.each<[string, Parameters<typeof selectDeadLetters>[1], string[]]>([
    ['no filter: all, newest first, ties by id', {}, ['d3', 'd2', 'd1', 'd4']],
    ['one recipient', { recipientId: 'hotline-at' }, ['d2', 'd1']],
    ['since a time (inclusive, any zone)', { since: at('2026-11-22T07:00:00Z') }, ['d3']],
    ['since a time, just after', { since: at('2026-11-22T07:00:00.001Z') }, []],
    ['one delivery', { deliveryId: 'd4' }, ['d4']],
    ['a delivery of another recipient', { deliveryId: 'd4', recipientId: 'hotline-at' }, []],
    [
      'a recipient since a time',
      { recipientId: 'hotline-at', since: at('2026-11-21T00:00:00Z') },
      ['d2'],
    ],
    ['an unknown recipient', { recipientId: 'nobody' }, []],
  ])('%s', (_what, filter, ids) => {
    expect(selectDeadLetters(LETTERS, filter).map((l) => l.deliveryId)).toEqual(ids);
  });
});
