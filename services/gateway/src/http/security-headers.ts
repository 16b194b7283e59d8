import type { RequestHandler } from 'express';
import helmet from 'helmet';

const headers = helmet({
  // The API answers JSON and /docs (Swagger UI from our own origin): nothing may frame
  // either, and nothing is loaded from elsewhere.
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  // HSTS on every answer: production serves the exchange over TLS only (browsers ignore it
  // on plain http, so the loopback demo is unaffected). A year, subdomains included.
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * helmet's headers (CSP, nosniff, X-Frame-Options DENY, HSTS, no-referrer, CORP/COOP) and
 * `Cache-Control: no-store` on every answer, errors and 404s included: cases, keys and
 * webhook secrets must never sit in a shared or browser cache. Only the static assets of
 * /docs set a cache policy of their own.
 */
export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  headers(req, res, next);
};
