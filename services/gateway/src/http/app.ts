import express, { type Express } from 'express';
import helmet from 'helmet';
import {
  healthRouter,
  notFoundHandler,
  problemHandler,
  type Logger,
  type ReadinessCheck,
} from '@alert-exchange/platform';
import { authenticate } from '../auth/authenticate';
import type { Directory, KeyStore } from '../directory/directory';
import { adminRoutes, keyRoutes } from './admin-routes';
import { docsRoutes } from './docs-routes';

/** The largest request body accepted; larger ones get a 413 problem. */
export const BODY_LIMIT = '256kb';

/** What the HTTP app needs from the outside world. */
export interface GatewayDependencies {
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  readonly directory: Directory;
  readonly keys: KeyStore;
  readonly operatorKey: string | undefined;
}

/** Builds the gateway's express app; no sockets are opened here. */
export function createApp(deps: GatewayDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(healthRouter(deps.readiness));
  app.use(docsRoutes());
  app.use(
    '/v1',
    authenticate({ operatorKey: deps.operatorKey, keys: deps.keys, directory: deps.directory }),
  );
  app.use(
    express.json({
      limit: BODY_LIMIT,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );
  app.use(adminRoutes(deps.directory));
  app.use(keyRoutes(deps.directory, deps.keys));
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
