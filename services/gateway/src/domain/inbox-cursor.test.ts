import { formatCursor, parseCursor } from './inbox-cursor';

describe('the inbox cursor', () => {
  it.each([
    ['partition 0, offset 0', '0-0', { partition: 0, offset: '0' }],
    ['a later offset', '7-41', { partition: 7, offset: '41' }],
    [
      'the largest Kafka offset',
      '11-9223372036854775807',
      { partition: 11, offset: '9223372036854775807' },
    ],
  ])('reads %s', (_what, text, cursor) => {
    expect(parseCursor(text)).toEqual(cursor);
    expect(formatCursor(cursor)).toBe(text);
  });

  it.each([
    ['empty', ''],
    ['no partition', '-41'],
    ['no offset', '3-'],
    ['a negative offset', '3--1'],
    ['leading zeros', '03-41'],
    ['an offset beyond int64', '3-9223372036854775808'],
    ['a partition of six digits', '123456-1'],
    ['spaces', ' 3-41'],
    ['a decimal', '3-4.1'],
    ['another separator', '3:41'],
    ['hex', '3-0x29'],
  ])('refuses %s', (_what, text) => {
    expect(parseCursor(text)).toBeUndefined();
  });
});
