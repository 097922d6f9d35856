import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ReadinessCheck } from '../readiness';
import { healthRoutes } from './health';
import { metricsRoute } from './metrics';

export interface OperationalRoutesOptions {
  readiness: readonly ReadinessCheck[];
}

/**
 * /healthz, /readyz and /metrics: what the platform (probes, Prometheus)
 * calls, as opposed to API clients. One encapsulated group, so that access
 * rules for them (left open, or a token of their own) go in one place.
 */
export const operationalRoutes: FastifyPluginAsyncTypebox<OperationalRoutesOptions> = async (
  app,
  { readiness },
) => {
  await app.register(healthRoutes, { readiness });
  await app.register(metricsRoute);
};
