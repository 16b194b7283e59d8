import { join } from 'node:path';
import { repoRoot } from '@alert-exchange/devstack';
import { startReadyService, startService, type ServiceProcess } from './service-process';

/** The compiled entry point of a service, as the start command runs it. */
export const serviceMain = (service: string): string =>
  join(repoRoot(), 'services', service, 'dist', 'main.js');

/** The bootstrap operator key the test gateways accept. */
export const OPERATOR_KEY = 'test-operator-key-0123456789abcdefghijklmnop';

/** A gateway process started by a test, from the compiled dist/main.js. */
export type GatewayProcess = ServiceProcess;

const gatewayDefaults = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  EXCHANGE_OPERATOR_KEY: OPERATOR_KEY,
  // Suites call faster than any member would; rate-limit.int.test.ts sets a small budget.
  RATE_LIMIT_PER_MINUTE: '100000',
  // Suites present bad keys on purpose (authorisation.int.test.ts presents hundreds);
  // authentication-throttle.int.test.ts sets a small budget.
  AUTH_FAILURES_PER_WINDOW: '100000',
  // Suites register webhook receivers on loopback over plain http (gateway.int.test.ts
  // removes both to see production's refusals).
  WEBHOOK_ALLOW_LOOPBACK: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  ...env,
});

/**
 * Starts a gateway on a free port against the test stack; `env` overrides or removes
 * (undefined) variables. Does not wait for readiness: see `startReadyGateway`.
 */
export function startGateway(env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  return startService(serviceMain('gateway'), gatewayDefaults(env));
}

/** Starts a gateway and waits until its /readyz answers 200. */
export function startReadyGateway(env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  return startReadyService(serviceMain('gateway'), gatewayDefaults(env));
}
