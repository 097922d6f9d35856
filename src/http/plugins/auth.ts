import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { operationOutcome } from '../../fhir/operationOutcome';
import { bearerTokenOf, tokenSet, type TokenSet } from './authTokens';

/** Who may call a URL: API clients, the platform (probes, Prometheus), or anyone. */
export type Audience = 'api' | 'operations' | 'public';

// By prefix, not by route: groups registered later by others (FHIR) are
// covered the moment they exist, and so are URLs that match no route, which
// therefore answer 401, not 404, and reveal nothing about what exists.
const PROTECTED_PREFIXES = ['/api', '/fhir'];
const OPERATIONS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The path the way the router could understand it: without the query,
 * percent-decoded, repeated slashes collapsed, lower case. Deliberately
 * looser than the router, so that no spelling of a protected URL is public.
 */
export function normalizedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Malformed escapes: judge the raw text (the router answers 400 for it anyway).
  }
  return decoded.replace(/\/{2,}/g, '/').toLowerCase();
}

const underPrefix = (path: string) =>
  PROTECTED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

/** Which rule applies to a request, from its route pattern and its raw URL. */
export function audienceOf(routePattern: string | undefined, url: string): Audience {
  const path = normalizedPath(url);
  if (underPrefix(path) || (routePattern !== undefined && underPrefix(routePattern))) return 'api';
  if (OPERATIONS_PATHS.has(path.replace(/\/$/, ''))) return 'operations';
  return 'public';
}

export interface AuthPluginOptions {
  /** Tokens for /api/ and /fhir/; none: those routes are open (main.ts then binds to loopback only). */
  apiTokens: readonly string[];
  /** Tokens for /healthz, /readyz and /metrics; none: those stay open. */
  operationsTokens: readonly string[];
}

function unauthorized(request: FastifyRequest, reply: FastifyReply, presented: boolean) {
  // RFC 6750: no credentials get a bare challenge; wrong ones are told the token is invalid.
  const challenge = presented
    ? 'Bearer realm="medication-periods", error="invalid_token"'
    : 'Bearer realm="medication-periods"';
  request.log.info({ errCode: 'unauthorized', tokenPresented: presented }, 'request rejected');
  const message = presented
    ? 'the bearer token is not valid'
    : 'this URL needs a bearer token: send Authorization: Bearer <token>';
  reply.code(401).header('www-authenticate', challenge);
  // FHIR clients understand errors only as an OperationOutcome.
  if (isFhirPath(request.url)) {
    return reply.type('application/fhir+json').send(operationOutcome('login', message));
  }
  return reply.send({ error: 'unauthorized', message });
}

function isFhirPath(url: string): boolean {
  return /^\/+fhir(\/|\?|$)/i.test(url);
}

/**
 * Bearer-token authentication in one hook for the whole app. The
 * token is never logged nor echoed: only whether one was presented.
 */
export const authPlugin = fp<AuthPluginOptions>(
  (app, options, done) => {
    const sets: Record<Exclude<Audience, 'public'>, TokenSet> = {
      api: tokenSet(options.apiTokens),
      operations: tokenSet(options.operationsTokens),
    };
    // No tokens at all: every URL is open, and a hook would only spend time
    // finding that out on each request.
    if (sets.api.size === 0 && sets.operations.size === 0) {
      done();
      return;
    }
    // preParsing: after the rate limit's onRequest hook, so failed guesses are
    // counted; and before the body is read.
    app.addHook('preParsing', async (request, reply, payload) => {
      const audience = audienceOf(request.routeOptions.url, request.url);
      if (audience === 'public') return payload;
      const tokens = sets[audience];
      if (tokens.size === 0) return payload;
      const token = bearerTokenOf(request.headers.authorization);
      if (token !== null && tokens.matches(token)) return payload;
      return unauthorized(request, reply, request.headers.authorization !== undefined);
    });
    done();
  },
  { name: 'auth', fastify: '5.x' },
);
