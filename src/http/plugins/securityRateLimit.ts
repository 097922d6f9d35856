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
  /** A probe or scrape with a valid one (or any, when there are none) is never counted. */
  operationsTokens: readonly string[];
}

/**
 * A per-client limit (@fastify/rate-limit, in memory, per process). A client
 * is its API token when it presents a valid one (so clients behind one NAT or
 * proxy do not share a budget), otherwise its IP address (so guessing tokens
 * is throttled too). Probes and Prometheus are exempt, as long as they
 * present a valid operations token where one is needed: a throttled /readyz
 * would make the platform restart a healthy process, while guesses of that
 * token are counted like any other. URLs that match no route are counted
 * too: under /api/ a wrong token gets 401 and a right one 404 there, which
 * would otherwise be an unlimited oracle. So the limiter runs as one
 * app-wide hook rather than @fastify/rate-limit's per-route ones.
 */
export const rateLimitPlugin = fp<RateLimitPluginOptions>(
  async (app, { perMinute, apiTokens, operationsTokens }) => {
    const tokens = tokenSet(apiTokens);
    const operations = tokenSet(operationsTokens);
    const isAuthorizedProbe = (request: FastifyRequest): boolean => {
      if (audienceOf(request.routeOptions.url, request.url) !== 'operations') return false;
      if (operations.size === 0) return true;
      const token = bearerTokenOf(request.headers.authorization);
      return token !== null && operations.matches(token);
    };
    const keyOf = (request: FastifyRequest): string => {
      const token = bearerTokenOf(request.headers.authorization);
      const label = token === null ? null : tokens.labelOf(token);
      return label === null ? `ip:${request.ip}` : `token:${label}`;
    };
    await app.register(rateLimit, {
      // Not per route: one app-wide hook below also meets URLs that match no route.
      global: false,
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: keyOf,
      allowList: isAuthorizedProbe,
      // Thrown by the plugin and shaped by our error handler, like every other error.
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'rate_limited',
          `more than ${context.max} requests in a minute; retry in ${context.after}`,
        ),
    });
    // Before authentication (a preParsing hook), including URLs no route matches.
    app.addHook('onRequest', app.rateLimit());
  },
  { name: 'rate-limit', fastify: '5.x' },
);
