import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_WEBHOOK_ORGANISATIONS,
  parseDemoCredentials,
  seedDemoFederation,
} from '@alert-exchange/devstack';
import { testKafka, uniqueName } from '@alert-exchange/testing';
import {
  OPERATOR_KEY,
  startReadyGateway,
  type GatewayProcess,
} from './gateway-process.test-helper';

const get = async (base: string, key: string, path: string) => {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as any };
};

describe("the start command's demo federation", () => {
  let gateway: GatewayProcess;
  let dir: string;
  beforeAll(async () => {
    // A directory of its own, so that the demo organisations stay out of other tests' routing.
    const topics = {
      DIRECTORY_TOPIC: uniqueName('demo.directory'),
      KEYS_TOPIC: uniqueName('demo.api-keys'),
      WEBHOOK_SECRETS_TOPIC: uniqueName('demo.webhook-secrets'),
    };
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: false,
        topics: Object.values(topics).map((topic) => ({
          topic,
          numPartitions: 1,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        })),
      });
    } finally {
      await admin.disconnect();
    }
    gateway = await startReadyGateway(topics);
    dir = mkdtempSync(join(tmpdir(), 'demo-credentials-'));
  });
  afterAll(async () => {
    await gateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gives every organisation a working key and each webhook organisation its signing secret; a second run changes nothing', async () => {
    const file = join(dir, 'demo-credentials.json');
    const seeded = await seedDemoFederation(gateway.base, OPERATOR_KEY, file);
    expect(seeded).toMatchObject({ total: 66, webhooks: DEMO_WEBHOOK_ORGANISATIONS.length });
    const credentials = parseDemoCredentials(readFileSync(file, 'utf8'));
    expect(Object.keys(credentials)).toHaveLength(66);
    expect(
      Object.entries(credentials)
        .filter(([, c]) => c.webhookSecret)
        .map(([id]) => id)
        .sort(),
    ).toEqual([...DEMO_WEBHOOK_ORGANISATIONS].sort());

    // The NGO's key authenticates as the NGO; its secret is the active one.
    const ngo = DEMO_WEBHOOK_ORGANISATIONS[0]!;
    const { apiKey, webhookSecret } = credentials[ngo]!;
    expect((await get(gateway.base, apiKey!, '/v1/subscriptions')).status).toBe(200);
    expect(webhookSecret!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await get(
      gateway.base,
      OPERATOR_KEY,
      `/v1/admin/organisations/${ngo}/webhook-secrets`,
    );
    expect(listed.body.webhookSecrets).toEqual([
      expect.objectContaining({ secretId: webhookSecret!.secretId, revokedAt: null }),
    ]);

    const before = readFileSync(file, 'utf8');
    expect(await seedDemoFederation(gateway.base, OPERATOR_KEY, file)).toMatchObject({
      created: 0,
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a credentials file of the first format (keys only) is kept, and the lost secrets are replaced', async () => {
    const file = join(dir, 'first-format.json');
    const current = parseDemoCredentials(readFileSync(join(dir, 'demo-credentials.json'), 'utf8'));
    writeFileSync(
      file,
      JSON.stringify(Object.fromEntries(Object.entries(current).map(([id, c]) => [id, c.apiKey]))),
    );
    await seedDemoFederation(gateway.base, OPERATOR_KEY, file);
    const upgraded = parseDemoCredentials(readFileSync(file, 'utf8'));
    const ngo = DEMO_WEBHOOK_ORGANISATIONS[0]!;
    expect(upgraded[ngo]!.apiKey).toBe(current[ngo]!.apiKey);
    expect(upgraded[ngo]!.webhookSecret!.secret).not.toBe(current[ngo]!.webhookSecret!.secret);
    const listed = await get(
      gateway.base,
      OPERATOR_KEY,
      `/v1/admin/organisations/${ngo}/webhook-secrets`,
    );
    expect(
      (listed.body.webhookSecrets as Array<{ secretId: string; revokedAt: string | null }>)
        .filter((s) => s.revokedAt === null)
        .map((s) => s.secretId),
    ).toEqual([upgraded[ngo]!.webhookSecret!.secretId]);
  });
});
