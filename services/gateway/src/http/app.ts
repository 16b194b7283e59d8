import express, { type Express } from 'express';
import helmet from 'helmet';
import {
  healthRouter,
  notFoundHandler,
  problemHandler,
  type Logger,
  type ReadinessCheck,
} from '@alert-exchange/platform';

/** What the HTTP app needs from the outside world. */
export interface GatewayDependencies {
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
}

/** Builds the gateway's express app; no sockets are opened here. */
export function createApp(deps: GatewayDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(healthRouter(deps.readiness));
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
