import { InputError } from '@alert-exchange/platform';
import { inboxRequestOf, streamStartOf } from './inbox-query';

/** The paths an InputError names, or the request read. */
function outcome(read: () => unknown): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof InputError) return { paths: error.errors.map((e) => e.path) };
    throw error;
  }
}

describe('the inbox query', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['nothing: from the start, no wait, 50', {}, { after: undefined, waitMs: 0, limit: 50 }],
    [
      'a cursor, a wait and a limit',
      { after: '4-17', wait: '30', limit: '100' },
      { after: { partition: 4, offset: '17' }, waitMs: 30_000, limit: 100 },
    ],
    ['an empty after: from the start', { after: '' }, { after: undefined, waitMs: 0, limit: 50 }],
    ['a parameter of the client', { nocache: '1' }, { after: undefined, waitMs: 0, limit: 50 }],
    ['a cursor that is not one', { after: 'abc' }, { paths: ['/query/after'] }],
    ['after given twice', { after: ['1-2', '1-3'] }, { paths: ['/query/after'] }],
    ['a wait over 30 s', { wait: '31' }, { paths: ['/query/wait'] }],
    ['a negative wait', { wait: '-1' }, { paths: ['/query/wait'] }],
    ['a fractional wait', { wait: '1.5' }, { paths: ['/query/wait'] }],
    ['an empty wait', { wait: '' }, { paths: ['/query/wait'] }],
    ['a limit of 0', { limit: '0' }, { paths: ['/query/limit'] }],
    ['a limit over 100', { limit: '101' }, { paths: ['/query/limit'] }],
    ['a limit in words', { limit: 'ten' }, { paths: ['/query/limit'] }],
    [
      'everything wrong at once',
      { after: '1', wait: 'x', limit: '1000' },
      { paths: ['/query/after', '/query/wait', '/query/limit'] },
    ],
  ])('%s', (_what, query, expected) => {
    expect(outcome(() => inboxRequestOf(query))).toEqual(expected);
  });
});

describe('where a stream starts', () => {
  it.each<[string, string | undefined, Record<string, unknown>, unknown]>([
    ['at the beginning', undefined, {}, undefined],
    ['after the query cursor', undefined, { after: '2-9' }, { partition: 2, offset: '9' }],
    [
      'after Last-Event-ID, over the query',
      '2-12',
      { after: '2-9' },
      { partition: 2, offset: '12' },
    ],
    ['an empty Last-Event-ID: the query', '', { after: '2-9' }, { partition: 2, offset: '9' }],
    ['a bad Last-Event-ID', 'yesterday', {}, { paths: [''] }],
    ['a bad after', undefined, { after: '2-x' }, { paths: ['/query/after'] }],
  ])('%s', (_what, header, query, expected) => {
    expect(outcome(() => streamStartOf(header, query))).toEqual(expected);
  });
});
