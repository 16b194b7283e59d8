import { join } from 'node:path';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { testKafka, uniqueName, waitFor } from '@alert-exchange/testing';
import { loadTopicDeclaration } from '../declaration';
import { provisionTopics } from './apply';

const declaration = loadTopicDeclaration(
  join(__dirname, '..', '..', '..', '..', 'infra', 'topics.yaml'),
);

async function topicConfig(admin: Admin, name: string): Promise<Record<string, string>> {
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name }],
  });
  return Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e.configValue]));
}

describe('provisioning the declared topics', () => {
  const admin = testKafka().admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('creates every declared topic with its settings, and a second run changes nothing', async () => {
    const prefix = `${uniqueName('prov')}.`;
    const first = await provisionTopics(admin, declaration, { prefix });
    const expectedCount = declaration.countries.length + declaration.topics.length - 1;
    expect(first.changed).toHaveLength(expectedCount);
    expect(first.notes.join()).toMatch(/replication factor capped at 1/);

    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    expect(topics).toHaveLength(expectedCount);
    for (const cc of ['de', 'gr', 'gb', 'ch', 'no', 'is'])
      expect(topics).toContain(`${prefix}alerts.${cc}`);

    const { topics: meta } = await admin.fetchTopicMetadata({
      topics: [`${prefix}alerts.de`, `${prefix}deliveries`],
    });
    expect(meta.map((t) => t.partitions.length).sort()).toEqual([12, 6].sort());
    expect(await topicConfig(admin, `${prefix}audit`)).toMatchObject({
      'retention.ms': '-1',
      'cleanup.policy': 'delete',
      'min.insync.replicas': '1',
    });
    expect(await topicConfig(admin, `${prefix}directory.organisations`)).toMatchObject({
      'cleanup.policy': 'compact',
    });

    const second = await provisionTopics(admin, declaration, { prefix });
    expect(second.changed).toEqual([]);
    expect(second.unchanged).toBe(expectedCount);
  });

  it('creates the alerts topic of a further country the directory names', async () => {
    const prefix = `${uniqueName('extra')}.`;
    await provisionTopics(admin, declaration, { prefix });
    const report = await provisionTopics(admin, declaration, { prefix, extraCountries: ['UA'] });
    expect(report.changed).toEqual([`created ${prefix}alerts.ua (6 partitions, replication 1)`]);
    expect(await admin.listTopics()).toContain(`${prefix}alerts.ua`);
  });

  it('sets a drifted setting back and reports it', async () => {
    const prefix = `${uniqueName('drift')}.`;
    await provisionTopics(admin, declaration, { prefix });
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: `${prefix}audit`,
          configEntries: [{ name: 'retention.ms', value: '1000' }],
        },
      ],
    });
    // Config changes reach describeConfigs through the metadata log, not at once.
    await waitFor('the drift to be visible', async () =>
      (await topicConfig(admin, `${prefix}audit`))['retention.ms'] === '1000' ? true : undefined,
    );
    const report = await provisionTopics(admin, declaration, { prefix });
    expect(report.changed).toHaveLength(1);
    expect(report.changed[0]).toMatch(/^altered .*audit: .*retention\.ms 1000 → -1/);
    await waitFor('the declared setting to be back', async () =>
      (await topicConfig(admin, `${prefix}audit`))['retention.ms'] === '-1' ? true : undefined,
    );
  });
});
