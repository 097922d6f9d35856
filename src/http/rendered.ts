import type { FastifyReply } from 'fastify';

// What Fastify sends with an object it serialized; a pre-rendered body must say the same.
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A memo slot for a response body, e.g. on a cached snapshot shared by many readers. */
export interface RenderSlot {
  rendered?: string;
}

/**
 * Sends `slot.rendered`, first filling it with the route's own response
 * serializer (its schema for 200) applied to `payload()`. Later replies from
 * the same slot skip building and serializing the payload: same bytes, same
 * headers, and the onSend/onResponse hooks run as for any reply.
 */
export function sendRendered(
  reply: FastifyReply,
  slot: RenderSlot,
  payload: () => unknown,
): FastifyReply {
  if (slot.rendered === undefined) {
    const body = reply.serialize(payload());
    if (typeof body !== 'string') throw new Error('the route serializer must give a string');
    slot.rendered = body;
  }
  return reply.type(JSON_CONTENT_TYPE).send(slot.rendered);
}
