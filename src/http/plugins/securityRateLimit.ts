import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors';
import { audienceOf } from './auth';
import { bearerTokenOf, tokenSet } from './authTokens';

export interface RateLimitPluginOptions {
  /** Requests per client per minute. */
  perMinute: number;
  /** A client with a valid API token is counted by its token, wherever it connects from. */
  apiTokens: readonly string[];
}

/**
 * A per-client limit (@fastify/rate-limit, in memory, per process). A client
 * is its API token when it presents a valid one (so clients behind one NAT or
 * proxy do not share a budget), otherwise its IP address (so guessing tokens
 * is throttled too). Probes and Prometheus are exempt: a throttled /readyz
 * would make the platform restart a healthy process.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app, { perMinute, apiTokens }) => {
    const tokens = tokenSet(apiTokens);
    const keyOf = (request: FastifyRequest): string => {
      const token = bearerTokenOf(request.headers.authorization);
      const label = token === null ? null : tokens.labelOf(token);
      return label === null ? `ip:${request.ip}` : `token:${label}`;
    };
    await app.register(rateLimit, {
      global: true,
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: keyOf,
      allowList: (request) => audienceOf(request.routeOptions.url, request.url) === 'operations',
      // Thrown by the plugin and shaped by our error handler, like every other error.
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'rate_limited',
          `more than ${context.max} requests in a minute; retry in ${context.after}`,
        ),
    });
  },
  { name: 'rate-limit', fastify: '5.x' },
);
