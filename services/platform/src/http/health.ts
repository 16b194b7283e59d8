import { Router } from 'express';

/** One dependency the service needs before it can take traffic. */
export interface ReadinessCheck {
  readonly name: string;
  readonly check: () => Promise<boolean>;
}

/**
 * `GET /healthz` (the process is alive) and `GET /readyz` (every dependency answers),
 * both without authentication. `/readyz` names each dependency and whether it is up,
 * and answers 503 while any is down.
 */
export function healthRouter(checks: readonly ReadinessCheck[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => [name, await check().catch(() => false)] as const),
    );
    const ready = results.every(([, up]) => up);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      checks: Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'])),
    });
  });
  return router;
}
