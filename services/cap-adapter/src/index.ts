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
