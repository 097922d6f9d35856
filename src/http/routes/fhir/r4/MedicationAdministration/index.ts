import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  checkFormat,
  parseMedicationAdministrationSearch,
  searchsetBundle,
  toMedicationAdministration,
} from '../../../../../fhir';
import {
  FHIR_JSON,
  FHIR_TAG,
  MedicationAdministrationSearchQuery,
  fhirErrorResponses,
  fhirResource,
} from '../../schemas';

/**
 * GET /fhir/r4/MedicationAdministration — a patient's periods from the
 * materialized table (the API's read, never a replay), one resource each,
 * in the API's order: start time, then medication.
 */
export const medicationAdministrationRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        summary: 'Search MedicationAdministration (FHIR R4)',
        description:
          'A searchset Bundle of one MedicationAdministration per medication period of the ' +
          'patient: in-progress for an active period, completed for a closed one. subject ' +
          '(Patient/{up_id}) or patient ({up_id}) is required; status and effective-time ' +
          '(ge/le, overlap with the period) narrow it. Errors are OperationOutcome.',
        tags: [FHIR_TAG],
        produces: ['application/fhir+json'],
        querystring: MedicationAdministrationSearchQuery,
        response: {
          200: fhirResource('Bundle (searchset) of MedicationAdministration'),
          ...fhirErrorResponses,
        },
      },
    },
    async (request, reply) => {
      checkFormat(request.query._format);
      const search = parseMedicationAdministrationSearch(request.query);
      const rows = search.matchesNothing
        ? []
        : await app.periodsRepository.list(search.upId, {
            status: search.status,
            from: search.from,
            to: search.to,
          });
      const selfUrl = `${request.protocol}://${request.host}${request.url}`;
      reply.type(FHIR_JSON);
      return searchsetBundle(rows.map(toMedicationAdministration), selfUrl);
    },
  );
};
