import { dirname } from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from './openapi';

const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Alert Exchange API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body>
</html>`;

/** GET /openapi.json and GET /docs (Swagger UI served locally, no CDN), without authentication. */
export function docsRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api' });\n");
  });
  router.use('/docs/assets', express.static(SWAGGER_UI, { index: false }));
  return router;
}
