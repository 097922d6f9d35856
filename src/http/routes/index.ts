import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ReadinessCheck } from '../readiness';
import { medicationPeriodsRoute } from './api/v1/medication_periods';
import { eventsRoute } from './api/v1/events';
import { patientAnomaliesRoute } from './api/v1/patients/anomalies';
import { patientEventsRoute } from './api/v1/patients/events';
import { rejectedEventsRoute } from './api/v1/rejected_events';
import { healthRoutes } from './health';

export interface RoutesOptions {
  readiness: readonly ReadinessCheck[];
}

/** Every route, its prefix the folder it lives in. */
export const routes: FastifyPluginAsyncTypebox<RoutesOptions> = async (app, { readiness }) => {
  await app.register(medicationPeriodsRoute, { prefix: '/api/v1/medication_periods' });
  await app.register(eventsRoute, { prefix: '/api/v1/events' });
  await app.register(patientEventsRoute, { prefix: '/api/v1/patients' });
  await app.register(patientAnomaliesRoute, { prefix: '/api/v1/patients' });
  await app.register(rejectedEventsRoute, { prefix: '/api/v1/rejected_events' });
  await app.register(healthRoutes, { readiness });
};
