import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { TAGS, errorResponses } from '../../schemas';

const PrometheusText = Type.String({
  description:
    'Prometheus text exposition format 0.0.4; the series are listed in docs/operations.md',
});

/** GET /metrics — the process's metrics for Prometheus to scrape. */
export const metricsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        description:
          'Event, write-path, projection, HTTP and consumer series, and the process defaults.',
        tags: [TAGS.operations],
        response: {
          200: {
            description: 'The metrics',
            content: { 'text/plain': { schema: PrometheusText } },
          },
          ...errorResponses,
        },
      },
    },
    async (_request, reply) => {
      const { registry } = app.metrics;
      // Set before sending, so Fastify passes the string through instead of JSON-serializing it.
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
};
