import { checkCompatibility, type CompatibilityLevel } from './compatibility';

const doc = 'd';
const v1 = {
  type: 'record',
  name: 'Alert',
  namespace: 'eu.alertexchange.test',
  doc,
  fields: [
    { name: 'caseId', type: 'string', doc },
    {
      name: 'urgency',
      type: {
        type: 'enum',
        name: 'Urgency',
        symbols: ['IMMEDIATE', 'UNKNOWN'],
        default: 'UNKNOWN',
      },
      doc,
    },
  ],
};
const withFields = (...extra: object[]): object => ({ ...v1, fields: [...v1.fields, ...extra] });
const replacing = (name: string, field: object): object => ({
  ...v1,
  fields: v1.fields.map((f) => (f.name === name ? field : f)),
});

describe('checkCompatibility names the field that breaks a reader', () => {
  it.each<[string, object, CompatibilityLevel, string[]]>([
    [
      'an optional field with a default',
      withFields({ name: 'note', type: ['null', 'string'], default: null, doc }),
      'FULL_TRANSITIVE',
      [],
    ],
    [
      'a required field without a default',
      withFields({ name: 'country', type: 'string', doc }),
      'FULL_TRANSITIVE',
      ['/country'],
    ],
    [
      'a required field without a default, checked only forward',
      withFields({ name: 'country', type: 'string', doc }),
      'FORWARD',
      [],
    ],
    [
      'removing a field that has no default',
      { ...v1, fields: [v1.fields[1]] },
      'FULL_TRANSITIVE',
      ['/caseId'],
    ],
    [
      'removing a field that has no default, checked only backward',
      { ...v1, fields: [v1.fields[1]] },
      'BACKWARD',
      [],
    ],
    [
      'changing a field type',
      replacing('caseId', { name: 'caseId', type: 'long', doc }),
      'FULL_TRANSITIVE',
      ['/caseId', '/caseId'],
    ],
    [
      'a new enum symbol (the enum has a default)',
      replacing('urgency', {
        name: 'urgency',
        type: {
          type: 'enum',
          name: 'Urgency',
          symbols: ['IMMEDIATE', 'EXPECTED', 'UNKNOWN'],
          default: 'UNKNOWN',
        },
        doc,
      }),
      'FULL_TRANSITIVE',
      [],
    ],
  ])('%s', (_name, candidate, level, paths) => {
    const problems = checkCompatibility(candidate, [{ label: 'v1', schema: v1 }], level);
    expect(problems.map((p) => p.path)).toEqual(paths);
  });

  it('transitive levels check every earlier version, others only the latest', () => {
    const v2 = withFields({ name: 'note', type: ['null', 'string'], default: null, doc });
    // v3 drops caseId but gives nothing a default: breaks v1 and v2 readers.
    const v3 = { ...v2, fields: (v2 as typeof v1).fields.filter((f) => f.name !== 'caseId') };
    const history = [
      { label: 'v1', schema: v1 },
      { label: 'v2', schema: v2 },
    ];
    expect(checkCompatibility(v3, history, 'FULL_TRANSITIVE').map((p) => p.against)).toEqual([
      'v1',
      'v2',
    ]);
    expect(checkCompatibility(v3, history, 'FULL').map((p) => p.against)).toEqual(['v2']);
  });

  it('says which direction breaks', () => {
    const [problem] = checkCompatibility(withFields({ name: 'country', type: 'string', doc }), [
      { label: 'v1', schema: v1 },
    ]);
    expect(problem).toMatchObject({
      direction: 'new reader, old writer',
      path: '/country',
      message: expect.stringMatching(/no default/),
    });
  });
});
