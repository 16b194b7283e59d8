/**
 * @alert-exchange/contracts: the exchange's Avro schemas as code. The catalogue of
 * subjects, the compatibility gate, registration, and the TypeScript types generated from
 * schemas/*.avsc.
 */
export { loadCatalogue, SCHEMAS_DIR, type CatalogueEntry } from './catalogue';
export {
  checkCompatibility,
  describeProblem,
  readProblems,
  type CompatibilityLevel,
  type CompatibilityProblem,
} from './domain/compatibility';
export { checkHouseRules, type RuleViolation } from './domain/rules';
export { generateTypeScript } from './domain/typescript';
export { runGate } from './gate';
export { registerCatalogue, type Registration } from './registry/register';
export type * from './generated/avro-types';
export {
  ageBandOf,
  ageOn,
  toAlertEvent,
  toCaseBody,
  toEventBody,
  toEventOnCase,
  type CaseBody,
  type EventBody,
  type EventMeta,
  type NameBody,
} from './domain/alert-body';
export { COUNTRY_CODES, isCountryCode } from './domain/countries';
export {
  VIEW_LEVELS,
  highestViewLevel,
  isViewLevel,
  minimiseAlert,
  moreThan,
  viewLevelCeiling,
  viewLevelFor,
  viewLevelRank,
  type AlertView,
  type NameView,
  type PersonalView,
  type RoutingRule,
  type ViewLevel,
} from './domain/minimisation';
export { webhookBody, type DeliveryBody, type WebhookBody } from './domain/webhook-body';
export {
  openBody,
  openEvent,
  openView,
  sealEvent,
  sealView,
  type PersonalSealer,
  type SealedAlertView,
  type SealedPersonal,
} from './personal-envelope';
export {
  CASE_ERASURE_SUBJECT,
  eraseCase,
  retentionErasureId,
  type ErasureLog,
  type ErasureRequest,
} from './case-erasure';
