/**
 * The declared topics of the exchange and the plan that brings a cluster in line with
 * them. Pure: no Kafka here, so the plan is tested by tables.
 */

/** A topic as declared in infra/topics.yaml, after `{country}` expansion. */
export interface DeclaredTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic-level configs, including min.insync.replicas. */
  readonly config: Readonly<Record<string, string>>;
}

/** A topic as the cluster describes it. */
export interface ExistingTopic {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

/** The raw declaration file. */
export interface TopicDeclaration {
  readonly defaults: { readonly replicationFactor: number; readonly minInsyncReplicas: number };
  readonly countries: readonly string[];
  readonly topics: ReadonlyArray<{
    name: string;
    partitions: number;
    config: Record<string, string>;
  }>;
}

/** One change the provisioning makes. */
export type TopicChange =
  | { readonly kind: 'create'; readonly topic: DeclaredTopic }
  | {
      readonly kind: 'add-partitions';
      readonly name: string;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly kind: 'alter-config';
      readonly name: string;
      readonly changes: ReadonlyArray<{ key: string; from: string | undefined; to: string }>;
      /** Every declared config of the topic: what the cluster will hold afterwards. */
      readonly config: Readonly<Record<string, string>>;
    };

/** What cannot be done automatically (a human must decide). */
export interface TopicWarning {
  readonly name: string;
  readonly message: string;
}

const COUNTRY = /^[a-z]{2}$/;

/**
 * Expands `{country}` topics once per country and applies the defaults, capping replication
 * at the cluster's broker count (a single local broker cannot hold three replicas).
 */
export function expandDeclaration(
  declaration: TopicDeclaration,
  brokerCount: number,
  prefix = '',
  extraCountries: readonly string[] = [],
): { topics: DeclaredTopic[]; notes: string[] } {
  const notes: string[] = [];
  // Countries the directory names beyond the declared ones get their alerts topic too.
  const countries = [
    ...new Set([...declaration.countries, ...extraCountries.map((c) => c.toLowerCase())]),
  ];
  const bad = countries.filter((c) => !COUNTRY.test(c));
  if (bad.length > 0)
    throw new Error(`countries must be ISO 3166-1 alpha-2 in lower case: ${bad.join(', ')}`);
  const replicationFactor = Math.min(declaration.defaults.replicationFactor, brokerCount);
  const minInsync = Math.min(declaration.defaults.minInsyncReplicas, replicationFactor);
  if (replicationFactor < declaration.defaults.replicationFactor) {
    notes.push(
      `replication factor capped at ${replicationFactor} and min.insync.replicas at ${minInsync}: the cluster has ${brokerCount} broker(s)`,
    );
  }
  const topics: DeclaredTopic[] = [];
  const seen = new Set<string>();
  for (const t of declaration.topics) {
    const names = t.name.includes('{country}')
      ? countries.map((c) => t.name.replace('{country}', c))
      : [t.name];
    for (const name of names) {
      const full = prefix + name;
      if (seen.has(full)) throw new Error(`topic ${full} is declared twice`);
      seen.add(full);
      topics.push({
        name: full,
        partitions: t.partitions,
        replicationFactor,
        config: { ...t.config, 'min.insync.replicas': String(minInsync) },
      });
    }
  }
  return { topics, notes };
}

/**
 * The changes that make `existing` match `declared`. Topics not declared are left alone;
 * partitions are only ever added (Kafka cannot remove them, and fewer would reorder cases).
 */
export function planTopicChanges(
  declared: readonly DeclaredTopic[],
  existing: ReadonlyMap<string, ExistingTopic>,
): { changes: TopicChange[]; warnings: TopicWarning[] } {
  const changes: TopicChange[] = [];
  const warnings: TopicWarning[] = [];
  for (const topic of declared) {
    const current = existing.get(topic.name);
    if (!current) {
      changes.push({ kind: 'create', topic });
      continue;
    }
    if (current.partitions < topic.partitions) {
      warnings.push({
        name: topic.name,
        message: `partitions raised from ${current.partitions} to ${topic.partitions}: keys of existing cases move to other partitions`,
      });
      changes.push({
        kind: 'add-partitions',
        name: topic.name,
        from: current.partitions,
        to: topic.partitions,
      });
    } else if (current.partitions > topic.partitions) {
      warnings.push({
        name: topic.name,
        message: `has ${current.partitions} partitions, more than the ${topic.partitions} declared; Kafka cannot remove partitions, left as is`,
      });
    }
    const configChanges = Object.entries(topic.config)
      .filter(([key, value]) => current.config[key] !== value)
      .map(([key, to]) => ({ key, from: current.config[key], to }));
    if (configChanges.length > 0) {
      changes.push({
        kind: 'alter-config',
        name: topic.name,
        changes: configChanges,
        config: topic.config,
      });
    }
  }
  return { changes, warnings };
}

/** One line per change, as the provisioning command reports them. */
export function describeChange(change: TopicChange): string {
  switch (change.kind) {
    case 'create':
      return `created ${change.topic.name} (${change.topic.partitions} partitions, replication ${change.topic.replicationFactor})`;
    case 'add-partitions':
      return `added partitions to ${change.name}: ${change.from} → ${change.to}`;
    case 'alter-config':
      return `altered ${change.name}: ${change.changes.map((c) => `${c.key} ${c.from ?? '(default)'} → ${c.to}`).join(', ')}`;
  }
}
