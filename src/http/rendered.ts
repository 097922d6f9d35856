import type { FastifyReply } from 'fastify';

// What Fastify sends with an object it serialized; a pre-rendered body must say the same.
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a JSON body rendered beforehand (the route's schema does not run on
 * it: whoever renders it keeps it to the schema). Same headers as a
 * serialized reply, and the onSend/onResponse hooks run as for any reply.
 */
export function sendJsonText(reply: FastifyReply, body: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(body);
}
