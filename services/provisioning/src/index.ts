/** @alert-exchange/provisioning: applies the declared topics to a Kafka cluster. */
export {
  describeChange,
  expandDeclaration,
  planTopicChanges,
  type DeclaredTopic,
  type ExistingTopic,
  type TopicChange,
  type TopicDeclaration,
  type TopicWarning,
} from './domain/topics';
export { loadTopicDeclaration } from './declaration';
export { provisionTopics, type ProvisioningReport } from './kafka/apply';
