import helmet from '@fastify/helmet';
import Fastify, { type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { audienceOf } from './auth';

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
 * Requests answered with data (JSON, FHIR JSON), never with a page: the
 * routes under /api/ and /fhir/, and any URL there that matches no route
 * (its 404 names the URL, which may hold a patient id).
 */
function isDataRequest(request: FastifyRequest): boolean {
  const pattern = request.routeOptions.url;
  // Routed requests (nearly all) are judged by the pattern alone: no URL decoding on the hot path.
  if (pattern !== undefined) return pattern.startsWith('/api/') || pattern.startsWith('/fhir/');
  return audienceOf(undefined, request.url) === 'api';
}

/**
 * The headers of a data route's answers, as OWASP's REST Security Cheat
 * Sheet lists them for API responses: patient data is never stored by a
 * browser or proxy (no-store); a JSON document may load nothing and be framed
 * by nothing (`default-src 'none'`, frame denial), is never sniffed into
 * HTML, sends no referrer and is not readable by other origins' no-cors
 * requests. HSTS is the pages' own. The page-only headers (the pages' CSP,
 * cross-origin opener policy, agent clusters, DNS prefetch, download and
 * cross-domain policies, the XSS auditor) have nothing to act on in a JSON
 * answer, and leaving them out trims about 500 bytes off every answer.
 */
export function dataRouteHeaders(pageHeaders: Record<string, string>): Record<string, string> {
  const hsts = pageHeaders['strict-transport-security'];
  return {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...(hsts === undefined ? {} : { 'strict-transport-security': hsts }),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

/**
 * Security headers on every response, set first thing so that a 401, 404 or
 * 429 carries them. Pages, the docs, the probes and anything unrouted get
 * @fastify/helmet's set with HELMET_OPTIONS: the CSP above, nosniff, frame
 * denial, no referrer, HSTS (which browsers honour only when the service is
 * reached over HTTPS, e.g. behind a TLS proxy) and the cross-origin isolation
 * headers. Routes under /api/ and /fhir/ get `dataRouteHeaders`.
 */
export const securityHeadersPlugin = fp(
  async (app) => {
    const pageHeaders = await helmetHeaders();
    const dataHeaders = dataRouteHeaders(pageHeaders);
    app.decorate('unroutedHeaders', pageHeaders);
    app.addHook('onRequest', (request, reply, done) => {
      void reply.headers(isDataRequest(request) ? dataHeaders : pageHeaders);
      done();
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
