import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { invalidBody } from '../../../../errors';
import { documentBodyOnly } from '../../../../openapiTransform';
import { IngestBody, IngestResponse, NoQuery, TAGS, errorResponsesFor } from '../../../../schemas';

/** The device file format: one event object, or an array of them. */
function itemsOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (typeof body === 'object' && body !== null) return [body];
  const got = body === null ? 'null' : typeof body;
  throw invalidBody(`body must be a JSON object or an array of objects, got ${got}`);
}

const schema = {
  summary: 'Ingest device events',
  description:
    'The whole body goes through the write path (validate, append idempotently, re-project) ' +
    'in one transaction; the answer comes after the commit, so a GET right after sees it. ' +
    'Re-posting the same events counts them as duplicates and changes nothing.',
  tags: [TAGS.events],
  // No parameter changes what a POST does: one given by mistake (a hoped-for
  // `?dry_run=1`) is a 400 before anything reaches the immutable log.
  querystring: NoQuery,
  response: {
    200: IngestResponse,
    ...errorResponsesFor(
      '400 invalid_parameter (any query parameter: the route takes none), ' +
        '400 invalid_json (not JSON, empty, or nested deeper than 64 levels), 400 invalid_utf8, 400 invalid_body ' +
        '(JSON but neither object nor array), 413 payload_too_large, 415 unsupported_media_type',
    ),
  },
};

/**
 * POST /api/v1/events — through the same write path as the broker, in one
 * call so that one transaction covers the batch; answers after the commit, so
 * a GET right after sees the result.
 */
export const eventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      schema,
      // Not schema.body: an invalid item must become a rejected event with a reason, not a 400.
      config: documentBodyOnly(IngestBody),
    },
    async (request) => {
      const items = itemsOf(request.body);
      if (items.length === 0) return { accepted: 0, duplicates: 0, rejected: [] };
      const result = await app.eventIngestion.ingest(
        // The item re-serialized is what gets stored as a rejected raw payload.
        items.map((item) => ({ payload: item, raw: JSON.stringify(item) })),
      );
      request.log.info(
        {
          items: items.length,
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejected.length,
        },
        'events ingested',
      );
      return {
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected: result.rejected.map(({ index, reason, message, field }) => ({
          index,
          reason,
          message,
          field,
        })),
      };
    },
  );
};
