export { newKey, open, seal, SealBrokenError, KEY_BYTES, type Sealed } from './sealing';
export {
  LocalMasterKey,
  masterKeyFromEnvironment,
  privacyConfig,
  type MasterKey,
} from './master-key';
export { DEFAULT_RETENTION_MS, dueForErasure, erasureDueAt } from './retention';
export { CaseKeyring, type CaseKeyRecord } from './case-keyring';
