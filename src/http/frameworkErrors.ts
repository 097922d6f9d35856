import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from './plugins/requestLogging';

declare module 'fastify' {
  interface FastifyInstance {
    /** The security headers of an answer outside any route (set by the security headers plugin). */
    unroutedHeaders?: Record<string, string>;
  }
}

function describe(error: FastifyError, maxParamLength: number) {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return {
        statusCode: 400,
        code: 'invalid_request',
        message: 'the URL is malformed (a % not followed by two hex digits)',
      };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return {
        statusCode: 414,
        code: 'uri_too_long',
        message: `a path segment is longer than ${maxParamLength} characters`,
      };
    default:
      return {
        statusCode: 500,
        code: 'internal_error',
        message: 'internal server error; see the server log',
      };
  }
}

/**
 * Answers the errors Fastify raises before routing: a path that is not valid
 * percent-encoding, or a segment over the router's maxParamLength. No hook
 * has run for them, so the request id and the security headers are set here;
 * the body follows the error contract instead of Fastify's own, which also
 * echoes the path (and so a patient id) back.
 */
export function frameworkErrorAnswer(maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const { statusCode, code, message } = describe(error, maxParamLength);
    if (statusCode >= 500) request.log.error({ errCode: error.code }, 'framework error');
    else request.log.info({ errCode: code }, 'request rejected before routing');
    void reply
      .headers(request.server.unroutedHeaders ?? {})
      .header(REQUEST_ID_HEADER, request.id)
      .code(statusCode)
      .send({ error: code, message });
  };
}
