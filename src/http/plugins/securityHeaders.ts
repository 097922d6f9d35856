import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * The Content-Security-Policy of every response. Pages of this service (the
 * timeline at `/`, Swagger UI at `/docs`) load scripts and styles from this
 * origin only and call only this origin's API, so 'self' is enough.
 * - style-src allows inline styles: Swagger UI sets style attributes in the
 *   markup it renders; inline scripts stay forbidden, which is what stops XSS.
 * - img-src allows data: URLs, which Swagger UI uses for its icons.
 * - no upgrade-insecure-requests: the service may be reached over plain HTTP
 *   on a LAN address (TLS terminated in front or not at all), where upgrading
 *   the page's own requests to https would break it.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'upgrade-insecure-requests': null,
};

/**
 * Security headers on every response (@fastify/helmet): the CSP above,
 * nosniff, frame denial, no referrer, HSTS (which browsers honour only when
 * the service is reached over HTTPS, e.g. behind a TLS proxy), and the
 * cross-origin isolation headers. JSON answers carry them too: harmless, and
 * a browser that renders one as a page is then held to the same policy.
 */
export const securityHeadersPlugin = fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
