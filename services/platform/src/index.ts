/**
 * @alert-exchange/platform: the shared mechanics of every exchange service.
 * Services import from here only; nothing here imports a service.
 */
export * from './errors';
export * from './config';
export * from './logging';
export * from './kafka';
export * from './avro';
export * from './redis';
export * from './http';
export * from './network';
export * from './kafka/messages';
export * from './kafka/compacted-view';
export * from './kafka/followed-log';
export * from './ids';
export * from './kafka/topic-watch';
export * from './validation';
export * from './telemetry';
export * from './telemetry/metrics';
export * from './telemetry/consumer-lag';
export * from './privacy';
