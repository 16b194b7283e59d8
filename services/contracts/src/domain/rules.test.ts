import { checkHouseRules } from './rules';

const record = (fields: object[], extra: object = {}): object => ({
  type: 'record',
  name: 'R',
  doc: 'r',
  fields,
  ...extra,
});

describe('checkHouseRules', () => {
  it.each<[string, object, string[]]>([
    [
      'a documented record with a documented field',
      record([{ name: 'a', type: 'string', doc: 'a' }]),
      [],
    ],
    ['a record without doc', { type: 'record', name: 'R', fields: [] }, ['/']],
    ['a field without doc', record([{ name: 'a', type: 'string' }]), ['/a']],
    [
      'an optional field with null second',
      record([{ name: 'a', type: ['string', 'null'], default: 'x', doc: 'a' }]),
      ['/a', '/a'],
    ],
    [
      'an optional field without a default',
      record([{ name: 'a', type: ['null', 'string'], doc: 'a' }]),
      ['/a'],
    ],
    [
      'an array without a default',
      record([{ name: 'a', type: { type: 'array', items: 'string' }, doc: 'a' }]),
      ['/a'],
    ],
    [
      'an enum without a default',
      record([{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] }, doc: 'e' }]),
      ['/e'],
    ],
    [
      'an enum whose default is not a symbol',
      record([
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'], default: 'B' }, doc: 'e' },
      ]),
      ['/e'],
    ],
    [
      'a nested record field without doc',
      record([
        { name: 'n', doc: 'n', type: record([{ name: 'inner', type: 'int' }], { name: 'N' }) },
      ]),
      ['/n/inner'],
    ],
  ])('%s', (_name, schema, paths) => {
    expect(checkHouseRules(schema as never).map((v) => v.path)).toEqual(paths);
  });
});
