/** The CAP 1.2 adapter: imports CAP alerts into the exchange and exports cases as CAP. */
export * from './domain/cap-model';
export * from './domain/cap-problems';
export { readCap } from './domain/read-cap';
export { writeCap } from './domain/write-cap';
export { capToExchange, type ExchangeRequest } from './domain/cap-to-exchange';
export {
  exchangeToCap,
  RESTRICTION,
  type CapMessageRecord,
  type CaseView,
  type ExportOptions,
} from './domain/exchange-to-cap';
export { capPathOfField } from './domain/field-paths';
export { capAdapterConfig, type CapAdapterConfig } from './config';
export type { CaseExchange } from './exchange/case-exchange';
export { importCap, type Imported } from './import-cap';
export { exportCap } from './export-cap';
export { MessageStore, type ImportedMessage } from './store/message-store';
