import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import {
  describeChange,
  expandDeclaration,
  planTopicChanges,
  type ExistingTopic,
  type TopicDeclaration,
  type TopicWarning,
} from '../domain/topics';

/** What a provisioning run did. */
export interface ProvisioningReport {
  readonly changed: string[];
  readonly unchanged: number;
  readonly warnings: TopicWarning[];
  readonly notes: string[];
}

async function describeExisting(
  admin: Admin,
  names: readonly string[],
): Promise<Map<string, ExistingTopic>> {
  const all = new Set(await admin.listTopics());
  const present = names.filter((n) => all.has(n));
  const existing = new Map<string, ExistingTopic>();
  if (present.length === 0) return existing;
  const { topics } = await admin.fetchTopicMetadata({ topics: present });
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const configs = new Map(
    resources.map((r) => [
      r.resourceName,
      Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
  for (const t of topics) {
    existing.set(t.name, {
      name: t.name,
      partitions: t.partitions.length,
      config: configs.get(t.name) ?? {},
    });
  }
  return existing;
}

/** Waits until every partition of `topics` has a leader (a new topic is usable). */
async function waitForLeaders(
  admin: Admin,
  topics: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  if (topics.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] });
      if (meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0)))
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after ${timeoutMs} ms: ${topics.join(', ')}`);
    await sleep(200);
  }
}

/**
 * Brings the cluster in line with the declaration: creates missing topics, adds
 * partitions, sets declared configs. Running it again changes nothing.
 * `prefix` namespaces every topic (tests use it to stay apart from each other).
 */
export async function provisionTopics(
  admin: Admin,
  declaration: TopicDeclaration,
  options: { prefix?: string; dryRun?: boolean; extraCountries?: readonly string[] } = {},
): Promise<ProvisioningReport> {
  const { brokers } = await admin.describeCluster();
  const { topics, notes } = expandDeclaration(
    declaration,
    brokers.length,
    options.prefix,
    options.extraCountries,
  );
  const existing = await describeExisting(
    admin,
    topics.map((t) => t.name),
  );
  const { changes, warnings } = planTopicChanges(topics, existing);
  if (!options.dryRun) {
    const creates = changes.flatMap((c) => (c.kind === 'create' ? [c.topic] : []));
    if (creates.length > 0) {
      await admin.createTopics({
        // kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION while metadata propagates.
        waitForLeaders: false,
        topics: creates.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: t.replicationFactor,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    await waitForLeaders(
      admin,
      creates.map((t) => t.name),
    );
    const partitions = changes.flatMap((c) =>
      c.kind === 'add-partitions' ? [{ topic: c.name, count: c.to }] : [],
    );
    if (partitions.length > 0) await admin.createPartitions({ topicPartitions: partitions });
    const alters = changes.flatMap((c) => (c.kind === 'alter-config' ? [c] : []));
    if (alters.length > 0) {
      // AlterConfigs replaces a topic's dynamic configs: we send every declared one.
      await admin.alterConfigs({
        validateOnly: false,
        resources: alters.map((c) => ({
          type: ConfigResourceTypes.TOPIC,
          name: c.name,
          configEntries: Object.entries(c.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
  }
  return {
    changed: changes.map(describeChange),
    unchanged:
      topics.length -
      new Set(changes.map((c) => (c.kind === 'create' ? c.topic.name : c.name))).size,
    warnings,
    notes,
  };
}
