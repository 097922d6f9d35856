import fp from 'fastify-plugin';
import { authPlugin } from './auth';
import { jsonBodyPlugin } from './securityJsonBody';
import { rateLimitPlugin } from './securityRateLimit';
import { securityHeadersPlugin } from './securityHeaders';

export interface SecurityPluginOptions {
  /** Bearer tokens for /api/ and /fhir/; empty: open (main.ts allows that on loopback only). */
  apiTokens?: readonly string[];
  /** Bearer tokens for /healthz, /readyz and /metrics; empty: open. */
  operationsTokens?: readonly string[];
  /** Requests per client per minute; undefined: no limit. */
  rateLimitPerMinute?: number;
}

/**
 * Every HTTP security control, in the order a request meets them: headers
 * (so that even a 401 or 429 carries them), the rate limit (so that token
 * guessing is throttled), then authentication; and a JSON body parser that
 * refuses hostile bodies with a reason. Registered before the routes.
 */
export const securityPlugin = fp<SecurityPluginOptions>(
  async (app, options) => {
    const apiTokens = options.apiTokens ?? [];
    await app.register(securityHeadersPlugin);
    await app.register(jsonBodyPlugin);
    if (options.rateLimitPerMinute !== undefined) {
      await app.register(rateLimitPlugin, {
        perMinute: options.rateLimitPerMinute,
        apiTokens,
        operationsTokens: options.operationsTokens ?? [],
      });
    }
    await app.register(authPlugin, {
      apiTokens,
      operationsTokens: options.operationsTokens ?? [],
    });
  },
  { name: 'security', fastify: '5.x' },
);
