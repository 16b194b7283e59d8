/** The legacy-system adapter: CSV files in and out of the exchange (docs/LEGACY-ADAPTER.md). */
export {
  COLUMNS,
  columnOfField,
  ROW_EVENT_TYPES,
  type Column,
  type RowEventType,
} from './domain/columns';
export { rowIdempotencyKey } from './domain/idempotency-key';
export { readCsv, type CsvFile, type NumberedRow } from './domain/read-csv';
export type { RowProblem } from './domain/row-problems';
export {
  rowToRequest,
  type CsvRow,
  type RowOutcome,
  type RowRequest,
} from './domain/row-to-request';
export { csvAdapterConfig, type CsvAdapterConfig } from './config';
export { folders } from './folders';
export { outboundPass, publishFile, type FileReport, type Publisher } from './outbound';
export { inboundPass, type InboundReport, type InboxReader } from './inbound';
export { InboundState } from './store/inbound-state';
export { OutboundState } from './store/outbound-state';
export { readJson, StateFile, writeDurably } from './store/durable-file';
