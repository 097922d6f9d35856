import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eventsRoute } from './v1/events';
import { medicationPeriodsRoute } from './v1/medication_periods';
import { patientAnomaliesRoute } from './v1/patients/anomalies';
import { patientEventsRoute } from './v1/patients/events';
import { rejectedEventsRoute } from './v1/rejected_events';

/** The API clients call, each route's prefix the folder it lives in; one group for access rules. */
export const apiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(medicationPeriodsRoute, { prefix: '/api/v1/medication_periods' });
  await app.register(eventsRoute, { prefix: '/api/v1/events' });
  await app.register(patientEventsRoute, { prefix: '/api/v1/patients' });
  await app.register(patientAnomaliesRoute, { prefix: '/api/v1/patients' });
  await app.register(rejectedEventsRoute, { prefix: '/api/v1/rejected_events' });
};
