import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept only when it is short and plain, so that a hostile
// header cannot write arbitrary text into every log line of the request.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuses the caller's X-Request-Id when it is safe, else a fresh UUID. */
export function genReqId(req: IncomingMessage): string {
  const header = req.headers[REQUEST_ID_HEADER];
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Fastify's request log lines include the URL, and ours hold patient ids
 * (/api/v1/medication_periods/:up_id). At info we log the route pattern
 * instead; the real URL only at debug.
 */
/** Query parameters whose values are credentials whatever the route (a client's mistake). */
const SECRET_PARAMETER = /token|key|auth|secret|pass/i;

/**
 * The URL with the values of credential-like query parameters replaced:
 * tokens are never accepted in a query string, but a client may still send
 * one there, and even the debug log must not keep it.
 */
export function redactedUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=')[0] ?? '';
      return SECRET_PARAMETER.test(name) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, queryAt)}?${query.join('&')}`;
}

export class PrivacyLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug(
      { method: request.method, url: redactedUrl(request.url) },
      'incoming request',
    );
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
    };
    if (error) reply.log.error({ ...line, errType: error.name }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method }, 'route not found');
  }
}

/** Echoes the request id so a client can quote it when reporting a problem. */
export const requestIdPlugin = fp(
  (app, _options, done) => {
    // Callback style: an async hook costs a promise per request for nothing here.
    app.addHook('onSend', (request, reply, payload, next) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
      next(null, payload);
    });
    done();
  },
  { name: 'request-id', fastify: '5.x' },
);
