import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { answerDatabaseOutage } from '../databaseOutage';
import { HttpError } from '../errors';
import { describeValidationError } from '../validationMessages';

interface ClientError {
  statusCode: number;
  code: string;
  message: string;
}

/**
 * Fastify's own 4xx errors, in our vocabulary. Their messages are rewritten
 * because Fastify's mention internals (FST_ codes) clients should not need.
 */
function fromFastifyError(error: FastifyError, bodyLimit: number): ClientError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        statusCode: 415,
        code: 'unsupported_media_type',
        message: 'Content-Type must be application/json',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        statusCode: 413,
        code: 'payload_too_large',
        message: `request body is larger than the limit of ${bodyLimit} bytes`,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        statusCode: 400,
        code: 'invalid_json',
        message: 'request body is empty; expected a JSON object or array',
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        statusCode: 400,
        code: 'invalid_json',
        message: 'request body is not valid JSON',
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        statusCode: 400,
        code: 'invalid_request',
        message: 'Content-Length does not match the body',
      };
    default:
      return null;
  }
}

/** The property names a route's schema accepts in one part of the request. */
function acceptedNames(request: FastifyRequest, part: string | undefined): string[] {
  const schema = request.routeOptions.schema as Record<string, unknown> | undefined;
  const partSchema = part === undefined ? undefined : schema?.[part];
  if (typeof partSchema !== 'object' || partSchema === null) return [];
  const properties = (partSchema as { properties?: object }).properties;
  return properties ? Object.keys(properties) : [];
}

function classify(
  error: FastifyError,
  request: FastifyRequest,
  bodyLimit: number,
): ClientError | null {
  if (error instanceof HttpError) return error;
  if (error.validation) {
    const context = error.validationContext;
    return {
      statusCode: 400,
      code: context === 'body' ? 'invalid_body' : 'invalid_parameter',
      message: describeValidationError(error.validation, acceptedNames(request, context)),
    };
  }
  return fromFastifyError(error, bodyLimit);
}

/**
 * Logs a 500 without its message at error level: knex puts the SQL with its
 * bound values (patient ids) into error messages. The whole error goes to
 * debug, where payloads are allowed.
 */
function logServerError(error: FastifyError, request: FastifyRequest): void {
  const stack = (error.stack ?? '').split('\n').slice(1).join('\n');
  request.log.error(
    { errType: error.name, errCode: error.code, route: request.routeOptions.url, stack },
    'request failed with an internal error',
  );
  request.log.debug({ err: error }, 'internal error details');
}

export interface ErrorHandlerPluginOptions {
  bodyLimit: number;
}

/** Every error and every unknown route leaves as {error, message}; never a stack trace. */
export const errorHandlerPlugin = fp<ErrorHandlerPluginOptions>(
  (app, { bodyLimit }, done) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const clientError = classify(error, request, bodyLimit);
      if (clientError) {
        request.log.info({ errCode: clientError.code }, 'request rejected');
        request.log.debug({ message: clientError.message }, 'rejection details');
        return reply
          .code(clientError.statusCode)
          .send({ error: clientError.code, message: clientError.message });
      }
      const outage = answerDatabaseOutage(error, request, reply, (r, message) =>
        r.send({ error: 'database_unavailable', message }),
      );
      if (outage) return outage;
      logServerError(error, request);
      return reply
        .code(500)
        .send({ error: 'internal_error', message: 'internal server error; see the server log' });
    });

    // Logged by PrivacyLogController.requestCompleted, without the URL (it may hold a patient id).
    app.setNotFoundHandler((request, reply) => {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route for ${request.method} ${request.url}` });
    });
    done();
  },
  { name: 'error-handler', fastify: '5.x' },
);
