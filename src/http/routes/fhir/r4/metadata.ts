import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { version } from '../../../../../package.json';
import { capabilityStatement, checkFormat } from '../../../../fhir';
import { FHIR_JSON, FHIR_TAG, MetadataQuery, fhirErrorResponses, fhirResource } from '../schemas';

/** GET /fhir/r4/metadata — the CapabilityStatement every FHIR client reads first. */
export const metadataRoute: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = new Date();
  app.get(
    '/metadata',
    {
      schema: {
        summary: 'FHIR CapabilityStatement',
        description:
          'What this FHIR R4 endpoint supports: MedicationAdministration search by subject, ' +
          'patient, status and effective-time, in JSON.',
        tags: [FHIR_TAG],
        produces: ['application/fhir+json'],
        querystring: MetadataQuery,
        response: {
          200: fhirResource('CapabilityStatement (FHIR R4 4.0.1)'),
          ...fhirErrorResponses,
        },
      },
    },
    async (request, reply) => {
      checkFormat(request.query._format);
      const baseUrl = `${request.protocol}://${request.host}${request.url.replace(/\/metadata.*$/, '')}`;
      reply.type(FHIR_JSON);
      return capabilityStatement({ baseUrl, softwareVersion: version, date: startedAt });
    },
  );
};
