import { jsonLimitBreach, MAX_JSON_DEPTH, MAX_JSON_ENTRIES } from './json-limits';

/** `depth` levels of objects: {"a":{"a":…{}}}. */
const nested = (depth: number, leaf: unknown = {}): unknown => {
  let value = leaf;
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
};
const arrays = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
};
const members = (n: number): Record<string, number> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe('jsonLimitBreach, with the limits the gateway uses', () => {
  it('the limits are those documented: depth 32, 1 000 entries', () => {
    expect([MAX_JSON_DEPTH, MAX_JSON_ENTRIES]).toEqual([32, 1_000]);
  });

  it.each<[string, unknown, { path: string; message: string } | undefined]>([
    ['a scalar body', 'text', undefined],
    ['null', null, undefined],
    ['an empty object', {}, undefined],
    ['32 levels of objects', nested(32), undefined],
    [
      '33 levels of objects',
      nested(33),
      { path: '/a'.repeat(32), message: 'nests deeper than 32 levels' },
    ],
    ['32 levels of arrays', arrays(32), undefined],
    [
      '33 levels of arrays',
      arrays(33),
      { path: '/0'.repeat(32), message: 'nests deeper than 32 levels' },
    ],
    ['a scalar inside the 32nd level (only containers count)', nested(32, { a: 1 }), undefined],
    ['1 000 members', members(1_000), undefined],
    ['1 001 members', members(1_001), { path: '', message: 'has more than 1000 entries' }],
    [
      '1 001 elements, nested',
      { child: { sightings: Array(1_001).fill(0) } },
      { path: '/child/sightings', message: 'has more than 1000 entries' },
    ],
    [
      'pointer tokens escaped (RFC 6901)',
      { 'a/b': { '~c': members(1_001) } },
      { path: '/a~1b/~0c', message: 'has more than 1000 entries' },
    ],
    [
      '100 000 levels, walked without recursion',
      nested(100_000),
      { path: '/a'.repeat(32), message: 'nests deeper than 32 levels' },
    ],
  ])('%s', (_name, body, breach) => {
    expect(jsonLimitBreach(body)).toEqual(breach);
  });

  it('takes other limits', () => {
    expect(jsonLimitBreach(nested(3), { depth: 2, entries: 10 })).toEqual({
      path: '/a/a',
      message: 'nests deeper than 2 levels',
    });
    expect(jsonLimitBreach([1, 2, 3], { depth: 2, entries: 2 })).toEqual({
      path: '',
      message: 'has more than 2 entries',
    });
  });
});
