import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { useFhirErrors } from './errors';
import { medicationAdministrationRoute } from './r4/MedicationAdministration';
import { metadataRoute } from './r4/metadata';

/**
 * The FHIR R4 facade, registered under /fhir/r4: its own encapsulated
 * context, so that its errors and unknown URLs answer as OperationOutcome
 * while the rest of the service keeps the API's error shape.
 */
export const fhirRoutes: FastifyPluginAsyncTypebox = async (app) => {
  useFhirErrors(app);
  await app.register(metadataRoute);
  await app.register(medicationAdministrationRoute, { prefix: '/MedicationAdministration' });
};
