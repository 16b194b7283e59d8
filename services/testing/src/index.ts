import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKafka, silentLogger, type Kafka } from '@alert-exchange/platform';

/** Addresses of the stack the jest global setup started (or was pointed at). */
export interface TestStack {
  readonly kafkaBrokers: string[];
  readonly redisUrl: string;
  readonly schemaRegistryUrl: string;
  /** 'local' when this run started the processes itself and may restart them. */
  readonly kind: 'local' | 'external';
  /** The state file naming the local stack's processes. */
  readonly stateFile: string | undefined;
}

/** The stack of this test run; fails clearly when the integration setup did not run. */
export function testStack(): TestStack {
  const {
    KAFKA_BROKERS,
    REDIS_URL,
    SCHEMA_REGISTRY_URL,
    EXCHANGE_TEST_STACK,
    EXCHANGE_TEST_STACK_STATE,
  } = process.env;
  if (!KAFKA_BROKERS || !REDIS_URL || !SCHEMA_REGISTRY_URL) {
    throw new Error(
      'No test stack: run integration tests through jest --selectProjects integration',
    );
  }
  return {
    kafkaBrokers: KAFKA_BROKERS.split(','),
    redisUrl: REDIS_URL,
    schemaRegistryUrl: SCHEMA_REGISTRY_URL,
    kind: EXCHANGE_TEST_STACK === 'local' ? 'local' : 'external',
    stateFile: EXCHANGE_TEST_STACK_STATE,
  };
}

/** A name no other test uses (topics, groups, subjects, organisation ids). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A Kafka client on the test stack that logs nothing. */
export function testKafka(clientId = uniqueName('test')): Kafka {
  return createKafka({ clientId, brokers: testStack().kafkaBrokers, logger: silentLogger() });
}

/**
 * Polls `probe` until it returns a value other than undefined, and returns it; fails with
 * `what` after `timeoutMs` (generous by default: the machine is shared).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 60_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}
