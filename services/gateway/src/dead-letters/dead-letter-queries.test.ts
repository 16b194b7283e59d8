import { validate, type InputError } from '@alert-exchange/platform';
import { DeadLetterQuery, ReplayBody } from './dead-letter-queries';

const ID = 'd0000000-0000-4000-8000-000000000000';

function outcome(schema: typeof ReplayBody | typeof DeadLetterQuery, input: unknown): unknown {
  try {
    return validate(schema, input);
  } catch (error) {
    return { paths: (error as InputError).errors.map((e) => e.path) };
  }
}

describe('the replay body', () => {
  it.each<[string, unknown, unknown]>([
    ['a delivery', { deliveryId: ID }, { deliveryId: ID }],
    ['a delivery id in upper case', { deliveryId: ID.toUpperCase() }, { deliveryId: ID }],
    ['a recipient', { recipientId: 'hotline-at' }, { recipientId: 'hotline-at' }],
    [
      'a recipient since a time',
      { recipientId: 'hotline-at', since: '2026-11-20T19:30:00+01:00' },
      { recipientId: 'hotline-at', since: Date.parse('2026-11-20T18:30:00Z') },
    ],
    ['nothing: refused, replaying everything is no accident', {}, { paths: [''] }],
    ['a malformed delivery id', { deliveryId: 'd1' }, { paths: ['/deliveryId'] }],
    ['a malformed recipient', { recipientId: 'Hotline AT' }, { paths: ['/recipientId'] }],
    ['a date without a zone', { since: '2026-11-20T18:30:00' }, { paths: ['/since'] }],
    ['a date only', { since: '2026-11-20' }, { paths: ['/since'] }],
    ['an unknown member', { recipientId: 'hotline-at', all: true }, { paths: [''] }],
  ])('%s', (_what, body, expected) => {
    expect(outcome(ReplayBody, body)).toEqual(expected);
  });
});

describe('the dead-letter query', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['nothing', {}, { query: {} }],
    ['a recipient', { recipientId: 'ngo-de' }, { query: { recipientId: 'ngo-de' } }],
    [
      'since a time',
      { since: '2026-11-20T18:30:00Z' },
      { query: { since: Date.parse('2026-11-20T18:30:00Z') } },
    ],
    ['a bad time', { since: 'yesterday' }, { paths: ['/query/since'] }],
    [
      'a recipient given twice',
      { recipientId: ['a-b-c', 'd-e-f'] },
      { paths: ['/query/recipientId'] },
    ],
  ])('%s', (_what, query, expected) => {
    expect(outcome(DeadLetterQuery, { query })).toEqual(expected);
  });
});
