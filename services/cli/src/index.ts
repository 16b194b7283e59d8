/**
 * @alert-exchange/cli: `exchange`, the command line of operators and integrators
 * (`cli.ts`); exported here are its pure parts.
 */
export { timeline, describe as describeEntry, type TrailEntry } from './domain/timeline';
export { table, replayProgress } from './domain/tables';
