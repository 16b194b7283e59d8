import { join } from 'node:path';
import { loadCatalogue, registerCatalogue, type Registration } from '@alert-exchange/contracts';
import { connectAdmin, type Kafka } from '@alert-exchange/platform';
import {
  loadTopicDeclaration,
  provisionTopics,
  type ProvisioningReport,
} from '@alert-exchange/provisioning';
import { repoRoot } from './paths';

/** Applies infra/topics.yaml to the broker `kafka` reaches (idempotent). */
export async function provisionExchangeTopics(
  kafka: Kafka,
  brokers: string[],
): Promise<ProvisioningReport> {
  const admin = await connectAdmin(kafka, brokers);
  try {
    return await provisionTopics(
      admin,
      loadTopicDeclaration(join(repoRoot(), 'infra', 'topics.yaml')),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Registers the schemas of schemas/ at FULL_TRANSITIVE in the registry (idempotent). */
export function registerExchangeSchemas(schemaRegistryUrl: string): Promise<Registration[]> {
  return registerCatalogue(schemaRegistryUrl, loadCatalogue());
}
