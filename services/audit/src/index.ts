/**
 * @alert-exchange/audit: the verifiable audit log (issue 7; docs/AUDIT.md). The appender
 * service is `main.ts`, the auditor's command `cli.ts`; exported here is the pure domain:
 * the canonical bytes of a record, the hash chain, the RFC 9162 Merkle tree with inclusion
 * and consistency proofs, signed checkpoints, the offline verifier, and the facts each
 * lifecycle record makes (without personal data); and the query index in Redis that the
 * gateway's audit API reads.
 */
export {
  canonicalJson,
  canonicalRecord,
  type JsonValue,
  type RecordContent,
} from './domain/canonical';
export {
  GENESIS_HASH,
  appendFact,
  recordHash,
  verifyChain,
  type AuditFact,
  type ChainVerdict,
} from './domain/chain';
export {
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from './domain/merkle';
export {
  CHECKPOINT_ORIGIN,
  checkpointMessage,
  checkpointOf,
  checkpointProblem,
  checkpointView,
  keysFromPem,
  keysFromSeed,
  publicKeyFromBase64,
  publicKeyToBase64,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointKeys,
  type CheckpointView,
} from './domain/checkpoint';
export {
  verifyLog,
  type LogProblem,
  type LogReport,
  type SignedCheckpoint,
} from './domain/verify-log';
export {
  factsOfAcknowledgement,
  factsOfAlertEvent,
  factsOfDeliveryStatus,
  factsOfRoutingRecord,
  type SourcePosition,
} from './domain/facts';
export {
  AuditIndex,
  ProofUnavailable,
  type CheckpointBody,
  type InclusionProofBody,
  type UnacknowledgedDelivery,
} from './index-store';
export { trailCsv, trailEntry, type TrailEntry } from './domain/trail-view';
export { proofReachesRoot } from './domain/merkle-nodes';
export { completenessReport, type CompletenessReport } from './domain/completeness';
export { auditCommands } from './commands';
