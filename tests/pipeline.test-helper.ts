import { createRedis, silentLogger } from '@alert-exchange/platform';
import {
  createTopics,
  serviceMain,
  startReadyGateway,
  startReadyService,
  testStack,
  uniqueName,
  type ServiceProcess,
} from '@alert-exchange/testing';
import type { DispatchWorld } from '../services/dispatcher/src/dispatch-world.test-helper';

// serviceMain and enrolOrganisation live in @alert-exchange/testing (the benchmark uses
// them too); re-exported for the cross-service suites.
export { enrolOrganisation, serviceMain, type Enrolled } from '@alert-exchange/testing';

/** The topics of a whole exchange of a test's own: the dispatcher's world's and the rest. */
export type PipelineTopics = ReturnType<typeof pipelineTopicsOf>;

function pipelineTopicsOf(world: DispatchWorld) {
  return {
    ...world.topics,
    keys: `${world.name}.api-keys`,
    state: `${world.name}.case-state`,
    routingRecords: `${world.name}.routing-records`,
    reads: `${world.name}.personal-data-reads`,
    erasures: `${world.name}.erasures`,
    audit: `${world.name}.audit`,
    checkpoints: `${world.name}.audit-checkpoints`,
  };
}

/**
 * Creates the topics the gateway, router and audit service need beside `world`'s, and
 * wipes Redis database `db` for them: the alert topics stay the shared `alerts.<cc>`.
 */
export async function createPipeline(
  world: DispatchWorld,
  db: number,
): Promise<{ topics: PipelineTopics; redisUrl: string }> {
  const topics = pipelineTopicsOf(world);
  const compact = [{ name: 'cleanup.policy', value: 'compact' }];
  await createTopics(world.kafka, [
    { topic: topics.keys, numPartitions: 1, configEntries: compact },
    { topic: topics.state, numPartitions: 6, configEntries: compact },
    { topic: topics.routingRecords, numPartitions: 6 },
    { topic: topics.reads, numPartitions: 6 },
    { topic: topics.erasures, numPartitions: 1 },
    { topic: topics.audit, numPartitions: 1 },
    { topic: topics.checkpoints, numPartitions: 1 },
  ]);
  const url = new URL(testStack().redisUrl);
  url.pathname = `/${db}`;
  const redis = createRedis(url.toString(), silentLogger());
  await redis.flushdb();
  redis.disconnect();
  return { topics, redisUrl: url.toString() };
}

/** A gateway on the pipeline's topics and Redis. */
export function startPipelineGateway(
  topics: PipelineTopics,
  redisUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  return startReadyGateway({
    DIRECTORY_TOPIC: topics.directory,
    KEYS_TOPIC: topics.keys,
    WEBHOOK_SECRETS_TOPIC: topics.secrets,
    ROUTING_RECORDS_TOPIC: topics.routingRecords,
    DELIVERIES_TOPIC: topics.deliveries,
    ACKNOWLEDGEMENTS_TOPIC: topics.acknowledgements,
    DELIVERY_COMMANDS_TOPIC: topics.commands,
    PERSONAL_DATA_READS_TOPIC: topics.reads,
    ERASURES_TOPIC: topics.erasures,
    REDIS_URL: redisUrl,
    ...env,
  });
}

/** A router on the pipeline's topics, in a consumer group of its own. */
export function startPipelineRouter(
  topics: PipelineTopics,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  return startReadyService(serviceMain('router'), {
    ROUTER_GROUP: uniqueName('pipeline-router'),
    DIRECTORY_TOPIC: topics.directory,
    ROUTER_STATE_TOPIC: topics.state,
    DELIVERIES_TOPIC: topics.deliveries,
    ROUTING_RECORDS_TOPIC: topics.routingRecords,
    ERASURES_TOPIC: topics.erasures,
    ...env,
  });
}

/** An audit service on the pipeline's topics, signing a checkpoint every second. */
export function startPipelineAudit(
  topics: PipelineTopics,
  redisUrl: string,
  signingSeed: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  return startReadyService(serviceMain('audit'), {
    AUDIT_GROUP: uniqueName('pipeline-audit'),
    AUDIT_TOPIC: topics.audit,
    AUDIT_CHECKPOINTS_TOPIC: topics.checkpoints,
    ROUTING_RECORDS_TOPIC: topics.routingRecords,
    DELIVERY_STATUS_TOPIC: topics.status,
    ACKNOWLEDGEMENTS_TOPIC: topics.acknowledgements,
    PERSONAL_DATA_READS_TOPIC: topics.reads,
    ERASURES_TOPIC: topics.erasures,
    REDIS_URL: redisUrl,
    AUDIT_SIGNING_SEED: signingSeed,
    CHECKPOINT_INTERVAL: '1s',
    ...env,
  });
}
