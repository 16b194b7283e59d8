/**
 * @alert-exchange/devstack: runs the exchange's real dependencies on loopback for the
 * start command, the tests and the benchmark. Not used by services in production.
 */
export {
  startStack,
  DEFAULT_PORTS,
  type Stack,
  type StackEndpoints,
  type StackOptions,
} from './stack';
export { startProcess, stopGroup, isAlive, type ManagedProcess } from './processes';
export { readState, reapOrphans, stopFromState, writeState, type StackState } from './state';
export { freePort, isPortOpen, waitUntil } from './wait';
export { localDir, repoRoot } from './paths';
export { startRegistry, ensureRegistryDistribution, findJava21, CCOMPAT_PATH } from './registry';
export { startKafkaNode, ensureKafkaJars } from './kafka';
export { startRedisServer } from './redis';
export { startScratchKafka, type ScratchKafka } from './scratch-kafka';
export { provisionExchangeTopics, registerExchangeSchemas } from './provision';
export { seedDemoFederation } from './demo-seeding';
export {
  parseDemoCredentials,
  formatDemoCredentials,
  type DemoCredential,
  type DemoCredentials,
} from './demo-credentials';
export {
  demoFederation,
  DEMO_WEBHOOK_ORGANISATIONS,
  DEMO_WEBHOOK_RECEIVER,
  type OrganisationBody,
} from './demo-federation';
