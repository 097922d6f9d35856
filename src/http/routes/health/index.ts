import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pingDb } from '../../../store/db';
import { runReadinessChecks, type ReadinessCheck } from '../../readiness';
import {
  HealthResponse,
  NotReadyResponse,
  ReadyResponse,
  TAGS,
  errorResponses,
} from '../../schemas';

export interface HealthRoutesOptions {
  /** Extra checks besides the database, e.g. "broker". */
  readiness: readonly ReadinessCheck[];
}

/** GET /healthz (the process is up) and GET /readyz (its dependencies answer). */
export const healthRoutes: FastifyPluginAsyncTypebox<HealthRoutesOptions> = async (
  app,
  { readiness },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness',
        description: 'Answers 200 while the process runs; checks nothing else.',
        tags: [TAGS.operations],
        response: { 200: HealthResponse, ...errorResponses },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  const checks: ReadinessCheck[] = [
    { name: 'database', check: () => pingDb(app.db) },
    ...readiness,
  ];

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness',
        description:
          'Runs the database check and every registered check (e.g. broker) concurrently, ' +
          'each bounded by 2 s; 503 names the failing ones.',
        tags: [TAGS.operations],
        response: { 200: ReadyResponse, 503: NotReadyResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await runReadinessChecks(checks, (name, error) => {
        request.log.warn({ check: name, err: error }, 'readiness check failed');
      });
      if (report.ready) return { status: 'ready' as const, checks: report.checks };
      return reply.code(503).send({
        error: 'not_ready' as const,
        message: `failing checks: ${report.failing.join(', ')}`,
        status: 'not_ready' as const,
        checks: report.checks,
      });
    },
  );
};
