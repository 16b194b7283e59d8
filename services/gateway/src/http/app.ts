import express, { type Express, type RequestHandler } from 'express';
import {
  healthRouter,
  notFoundHandler,
  problemHandler,
  traceRequests,
  type Tracer,
  type Logger,
  type ReadinessCheck,
  type Redis,
  type UrlOptions,
} from '@alert-exchange/platform';
import { authenticate } from '../auth/authenticate';
import { AuthenticationThrottle, type ThrottleBudget } from '../auth/authentication-throttle';
import type { Directory, KeyStore, WebhookSecretStore } from '../directory/directory';
import { adminRoutes, keyRoutes } from './admin-routes';
import { docsRoutes } from './docs-routes';
import { subscriptionRoutes } from './subscription-routes';
import { webhookSecretRoutes } from './webhook-secret-routes';
import { alertRoutes, type AlertRouteDependencies } from './alert-routes';
import { rateLimit } from './rate-limit';
import { jsonLimits } from './json-limits';
import { securityHeaders } from './security-headers';
import { inboxRoutes, type InboxRouteDependencies } from './inbox-routes';
import { ackRoutes, type AckRouteDependencies } from './ack-routes';
import { deadLetterRoutes, type DeadLetterRouteDependencies } from './dead-letter-routes';
import { auditRoutes, type AuditRouteDependencies } from './audit-routes';
import { erasureRoutes, type ErasureRouteDependencies } from './erasure-routes';

/** The largest request body accepted; larger ones get a 413 problem. */
export const BODY_LIMIT = '256kb';

/** What the HTTP app needs from the outside world. */
export interface GatewayDependencies {
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  readonly directory: Directory;
  readonly keys: KeyStore;
  readonly webhookSecrets: WebhookSecretStore;
  readonly operatorKey: string | undefined;
  readonly alerts: AlertRouteDependencies;
  /** Receiving: the pull inbox, acknowledgements, and dead letters for operators. */
  readonly inbox: InboxRouteDependencies;
  readonly acks: AckRouteDependencies;
  readonly deadLetters: DeadLetterRouteDependencies;
  /** The audit API for auditors and operators, over the audit service's index. */
  readonly audit: AuditRouteDependencies;
  /** An operator's erasure of a case's personal data (docs/PRIVACY.md). */
  readonly erasure: ErasureRouteDependencies;
  /** A server span per request (continuing the caller's traceparent), and `GET /metrics`. */
  readonly telemetry: { readonly tracer: Tracer; readonly metricsHandler: RequestHandler };
  /** Where per-organisation request budgets are counted, and their size. */
  readonly rateLimit: { readonly redis: Redis; readonly perMinute: number };
  /** Failed authentications a client may make per window before 429 (counted in the same Redis). */
  readonly authFailures: ThrottleBudget;
  /** express `trust proxy`: which peers' X-Forwarded-For names the client (config TRUST_PROXY). */
  readonly trustProxy: false | number | readonly string[];
  /** Which webhook URLs an organisation may register (config WEBHOOK_ALLOW_*). */
  readonly webhookDestinations: UrlOptions;
}

/** Builds the gateway's express app; no sockets are opened here. */
export function createApp(deps: GatewayDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const { trustProxy } = deps;
  app.set('trust proxy', typeof trustProxy === 'object' ? trustProxy.join(',') : trustProxy);
  app.use(traceRequests(deps.telemetry.tracer));
  app.use(securityHeaders);
  app.use(healthRouter(deps.readiness));
  app.use(docsRoutes());
  app.get('/metrics', deps.telemetry.metricsHandler);
  app.use(
    '/v1',
    authenticate({
      operatorKey: deps.operatorKey,
      keys: deps.keys,
      directory: deps.directory,
      throttle: new AuthenticationThrottle(deps.rateLimit.redis, deps.authFailures),
    }),
    rateLimit(deps.rateLimit.redis, { perMinute: deps.rateLimit.perMinute }),
  );
  app.use(
    express.json({
      limit: BODY_LIMIT,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
    jsonLimits,
  );
  app.use(adminRoutes(deps.directory, deps.webhookSecrets, deps.webhookDestinations));
  app.use(erasureRoutes(deps.erasure));
  app.use(keyRoutes(deps.directory, deps.keys));
  app.use(webhookSecretRoutes(deps.directory, deps.webhookSecrets));
  app.use(subscriptionRoutes(deps.directory));
  app.use(alertRoutes(deps.alerts));
  app.use(inboxRoutes(deps.inbox));
  app.use(ackRoutes(deps.acks));
  app.use(deadLetterRoutes(deps.deadLetters));
  app.use(auditRoutes(deps.audit));
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
