import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../store/databaseErrors';

const OUTAGE_MESSAGE = 'the database is unavailable right now; retry shortly';

/**
 * A database outage is not a fault of the request or of the code: logged as a
 * warning and answered 503 with Retry-After, so a client retries. `send`
 * writes the body in the caller's shape (the API's or FHIR's). Undefined when
 * the error is something else.
 */
export function answerDatabaseOutage(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  send: (reply: FastifyReply, message: string) => FastifyReply,
): FastifyReply | undefined {
  if (!isDatabaseUnavailable(error)) return undefined;
  request.log.warn(
    { errType: error.name, errCode: error.code, route: request.routeOptions.url },
    'database unavailable',
  );
  return send(reply.code(503).header('retry-after', '5'), OUTAGE_MESSAGE);
}
