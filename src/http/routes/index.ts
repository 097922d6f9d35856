import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ReadinessCheck } from '../readiness';
import { apiRoutes } from './api';
import { fhirRoutes } from './fhir';
import { operationalRoutes } from './operational';

export interface RoutesOptions {
  readiness: readonly ReadinessCheck[];
}

/** Every route, in three groups: the API, FHIR, and the operational endpoints. */
export const routes: FastifyPluginAsyncTypebox<RoutesOptions> = async (app, { readiness }) => {
  await app.register(apiRoutes);
  await app.register(fhirRoutes, { prefix: '/fhir/r4' });
  await app.register(operationalRoutes, { readiness });
};
