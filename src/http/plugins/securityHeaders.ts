import helmet from '@fastify/helmet';
import Fastify from 'fastify';
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

const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
} as const;

/**
 * The headers @fastify/helmet sets with HELMET_OPTIONS, read once from a
 * throwaway instance. They depend on nothing in the request (no CSP nonces),
 * and the plugin rebuilds helmet's middleware, CSP string included, on every
 * request: a measurable share of a cheap GET's CPU.
 */
export async function helmetHeaders(): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, { global: true, ...HELMET_OPTIONS });
  // Only helmet has touched the raw response when the handler runs.
  probe.get('/', (_request, reply) => {
    const headers = reply.raw.getHeaders();
    void reply.send(
      Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)])),
    );
  });
  const response = await probe.inject('/');
  await probe.close();
  return response.json<Record<string, string>>();
}

/**
 * Security headers on every response, as @fastify/helmet configures them:
 * the CSP above, nosniff, frame denial, no referrer, HSTS (which browsers
 * honour only when the service is reached over HTTPS, e.g. behind a TLS
 * proxy), and the cross-origin isolation headers. JSON answers carry them
 * too: harmless, and a browser that renders one as a page is then held to the
 * same policy. Set first thing, so that a 401, 404 or 429 carries them.
 */
export const securityHeadersPlugin = fp(
  async (app) => {
    const headers = await helmetHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
