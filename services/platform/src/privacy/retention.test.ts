import { DEFAULT_RETENTION_MS, dueForErasure, erasureDueAt } from './retention';

describe('erasure after the case', () => {
  it.each([
    ['30 days by default', 1_000, DEFAULT_RETENTION_MS, 1_000 + 2_592_000_000],
    ['seconds, as in tests', 1_000, 5_000, 6_000],
    ['at once', 1_000, 0, 1_000],
  ])('is due %s after closing', (_, closedAt, retention, due) => {
    expect(erasureDueAt(closedAt, retention)).toBe(due);
  });

  it.each([
    ['a negative retention', 1_000, -1],
    ['an unknown closing time', Number.NaN, 5],
  ])('refuses %s', (_, closedAt, retention) => {
    expect(() => erasureDueAt(closedAt, retention)).toThrow(RangeError);
  });

  it.each<[string, Array<[string, number]>, number, string[]]>([
    ['nothing scheduled', [], 10, []],
    ['nothing due yet', [['a', 11]], 10, []],
    ['due exactly now', [['a', 10]], 10, ['a']],
    [
      'several, earliest first, ties by case id',
      [
        ['c', 5],
        ['b', 3],
        ['a', 5],
        ['d', 99],
      ],
      10,
      ['b', 'a', 'c'],
    ],
  ])('finds the cases due with %s', (_, schedule, now, due) => {
    expect(dueForErasure(new Map(schedule), now)).toEqual(due);
  });
});
