import {
  expandDeclaration,
  planTopicChanges,
  type DeclaredTopic,
  type ExistingTopic,
  type TopicDeclaration,
} from './topics';

const declaration: TopicDeclaration = {
  defaults: { replicationFactor: 3, minInsyncReplicas: 2 },
  countries: ['de', 'fr'],
  topics: [
    { name: 'alerts.{country}', partitions: 6, config: { 'retention.ms': '100' } },
    { name: 'audit', partitions: 1, config: { 'retention.ms': '-1' } },
  ],
};

describe('expandDeclaration', () => {
  it.each([
    [1, 1, 1, true],
    [2, 2, 2, true],
    [3, 3, 2, false],
    [5, 3, 2, false],
  ])(
    'on %i broker(s) uses replication %i and min.insync.replicas %i (capped note: %s)',
    (brokers, rf, isr, capped) => {
      const { topics, notes } = expandDeclaration(declaration, brokers);
      expect(topics.map((t) => t.name)).toEqual(['alerts.de', 'alerts.fr', 'audit']);
      expect(
        topics.every(
          (t) => t.replicationFactor === rf && t.config['min.insync.replicas'] === String(isr),
        ),
      ).toBe(true);
      expect(notes.length > 0).toBe(capped);
    },
  );

  it('prefixes every topic when asked', () => {
    expect(expandDeclaration(declaration, 1, 't1.').topics.map((t) => t.name)).toEqual([
      't1.alerts.de',
      't1.alerts.fr',
      't1.audit',
    ]);
  });

  it('adds an alerts topic for each further country the directory names, once', () => {
    const names = expandDeclaration(declaration, 1, '', ['UA', 'de']).topics.map((t) => t.name);
    expect(names).toEqual(['alerts.de', 'alerts.fr', 'alerts.ua', 'audit']);
  });

  it.each([[['DE']], [['deu']], [['d']]])(
    'refuses country codes that are not lower-case alpha-2: %j',
    (countries) => {
      expect(() => expandDeclaration({ ...declaration, countries }, 1)).toThrow(
        /ISO 3166-1 alpha-2/,
      );
    },
  );

  it('refuses a topic declared twice', () => {
    expect(() =>
      expandDeclaration(
        { ...declaration, topics: [...declaration.topics, declaration.topics[1]!] },
        1,
      ),
    ).toThrow(/declared twice/);
  });
});

describe('planTopicChanges', () => {
  const topic: DeclaredTopic = {
    name: 'audit',
    partitions: 3,
    replicationFactor: 1,
    config: { 'retention.ms': '-1', 'min.insync.replicas': '1' },
  };
  const existing = (
    partitions: number,
    config: Record<string, string>,
  ): Map<string, ExistingTopic> => new Map([['audit', { name: 'audit', partitions, config }]]);
  const asDeclared = {
    'retention.ms': '-1',
    'min.insync.replicas': '1',
    'cleanup.policy': 'delete',
  };

  it.each([
    ['a missing topic is created', new Map<string, ExistingTopic>(), ['create'], 0],
    ['a topic as declared is left alone', existing(3, asDeclared), [], 0],
    [
      'a drifted config is set back',
      existing(3, { ...asDeclared, 'retention.ms': '1000' }),
      ['alter-config'],
      0,
    ],
    [
      'missing partitions are added, with a warning',
      existing(2, asDeclared),
      ['add-partitions'],
      1,
    ],
    ['extra partitions are never removed, only warned about', existing(6, asDeclared), [], 1],
  ])('%s', (_name, current, kinds, warningCount) => {
    const { changes, warnings } = planTopicChanges([topic], current);
    expect(changes.map((c) => c.kind)).toEqual(kinds);
    expect(warnings).toHaveLength(warningCount);
  });

  it('names the config it changes with the old and new value', () => {
    const { changes } = planTopicChanges(
      [topic],
      existing(3, { ...asDeclared, 'retention.ms': '1000' }),
    );
    expect(changes[0]).toMatchObject({
      kind: 'alter-config',
      changes: [{ key: 'retention.ms', from: '1000', to: '-1' }],
    });
  });
});
