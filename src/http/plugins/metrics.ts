import fp from 'fastify-plugin';
import type { Metrics } from '../../metrics';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export interface MetricsPluginOptions {
  metrics: Metrics;
}

// A 404's URL is whatever a client typed: one label value for all of them
// keeps the series count bounded (and patient ids out of the labels).
export const UNMATCHED_ROUTE = '(no route)';

/** Shares the process's metrics and times every request by its route pattern. */
export const metricsPlugin = fp<MetricsPluginOptions>(
  (app, { metrics }, done) => {
    app.decorate('metrics', metrics);
    // Callback style: an async hook costs a promise per request for nothing here.
    app.addHook('onResponse', (request, reply, next) => {
      metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      next();
    });
    done();
  },
  { name: 'metrics', fastify: '5.x' },
);
