import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './plugins/requestLogging';

function describe(parserCode: string | undefined) {
  if (parserCode === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      statusCode: 408,
      code: 'request_timeout',
      message: 'the request was not received in full in time',
    };
  }
  if (parserCode === 'HPE_HEADER_OVERFLOW') {
    return {
      statusCode: 431,
      code: 'headers_too_large',
      message: 'the request headers are larger than the server accepts',
    };
  }
  return {
    statusCode: 400,
    code: 'invalid_request',
    // The parser's code names the fault (a bad header line, a body cut short)
    // without echoing any of the request's bytes.
    message: `the request is not valid HTTP/1.1 (${parserCode ?? 'unknown parser error'})`,
  };
}

/**
 * Answers a request that Node's HTTP parser refuses before Fastify sees it
 * (no hook or route runs): the error contract, a request id and the security
 * headers, instead of Fastify's `{"error":"Bad Request","message":"Client Error"}`
 * without either. Bound to the Fastify instance, as Fastify calls it.
 */
export function answerClientError(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { statusCode, code, message } = describe(error.code);
  const requestId = randomUUID();
  this.log.info(
    { reqId: requestId, errCode: code, parserCode: error.code },
    'request refused by the HTTP parser',
  );
  if (socket.writable) {
    const body = JSON.stringify({ error: code, message });
    const headers = {
      ...this.unroutedHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      [REQUEST_ID_HEADER]: requestId,
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    socket.write(
      `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode]}\r\n${head.join('\r\n')}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
