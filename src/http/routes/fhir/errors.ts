import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  FhirRequestError,
  issueTypeForStatus,
  operationOutcome,
  type IssueType,
} from '../../../fhir';
import { answerDatabaseOutage } from '../../databaseOutage';
import { HttpError } from '../../errors';
import { describeValidationError } from '../../validationMessages';
import { FHIR_JSON } from './schemas';

interface ClientError {
  statusCode: number;
  issue: IssueType;
  message: string;
}

function acceptedQueryNames(request: FastifyRequest): string[] {
  const schema = request.routeOptions.schema as
    { querystring?: { properties?: object } } | undefined;
  return Object.keys(schema?.querystring?.properties ?? {});
}

function classify(error: FastifyError, request: FastifyRequest): ClientError | null {
  if (error instanceof FhirRequestError) {
    return { statusCode: error.statusCode, issue: error.issue, message: error.message };
  }
  if (error.validation) {
    const message = describeValidationError(error.validation, acceptedQueryNames(request));
    return { statusCode: 400, issue: 'invalid', message };
  }
  // HttpErrors and Fastify's (or a plugin's: auth, rate limit) 4xx carry client-safe messages.
  const statusCode = error instanceof HttpError ? error.statusCode : error.statusCode;
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return { statusCode, issue: issueTypeForStatus(statusCode), message: error.message };
  }
  return null;
}

/**
 * Errors of the FHIR routes as OperationOutcome, the shape FHIR clients
 * parse, instead of the API's {error, message}. Same logging rules as the
 * API's handler: a 500 is logged by type and stack, never by message (knex
 * messages embed patient ids).
 */
export function useFhirErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const clientError = classify(error, request);
    if (clientError) {
      request.log.info({ errCode: clientError.issue }, 'FHIR request rejected');
      return reply
        .code(clientError.statusCode)
        .type(FHIR_JSON)
        .send(operationOutcome(clientError.issue, clientError.message));
    }
    const outage = answerDatabaseOutage(error, request, reply, (r, message) =>
      r.type(FHIR_JSON).send(operationOutcome('transient', message)),
    );
    if (outage) return outage;
    const stack = (error.stack ?? '').split('\n').slice(1).join('\n');
    request.log.error(
      { errType: error.name, errCode: error.code, route: request.routeOptions.url, stack },
      'FHIR request failed with an internal error',
    );
    return reply
      .code(500)
      .type(FHIR_JSON)
      .send(operationOutcome('exception', 'internal server error; see the server log'));
  });

  app.setNotFoundHandler((request, reply) => {
    return reply
      .code(404)
      .type(FHIR_JSON)
      .send(
        operationOutcome(
          'not-found',
          `no FHIR route for ${request.method} ${request.url}; this server offers ` +
            'GET metadata and GET MedicationAdministration?subject=Patient/{id}',
        ),
      );
  });
}
