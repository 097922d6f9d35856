import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RejectedEventRow } from '../../../../../store/types';
import { isoTime, presentRawPayload } from '../../../../format';
import {
  RejectedEventsQuery,
  REJECTED_EVENTS_DEFAULT_LIMIT,
  RejectedEventsResponse,
  TAGS,
  errorResponsesFor,
  type RejectedEvent,
} from '../../../../schemas';

function presentRejectedEvent(row: RejectedEventRow): RejectedEvent {
  return {
    id: row.id,
    received_at: isoTime(row.receivedAt),
    source: row.source,
    reason: row.reason,
    field: row.field,
    message: row.message,
    ...presentRawPayload(row.rawPayload),
  };
}

/**
 * GET /api/v1/rejected_events — newest first, keyset-paged by id (`before`),
 * which stays stable while new rejections arrive, unlike an offset.
 */
export const rejectedEventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        summary: 'Rejected events, newest first',
        description:
          'Every item the write path rejected, with its reason and raw payload. Paged by key: ' +
          'pass next_before as before for the next page; it is null on the last page.',
        tags: [TAGS.rejected],
        querystring: RejectedEventsQuery,
        response: {
          200: RejectedEventsResponse,
          ...errorResponsesFor(
            '400 invalid_parameter: a bad limit, before, source or reason, or an unknown parameter',
          ),
        },
      },
    },
    async (request) => {
      const { before, source, reason } = request.query;
      // Ajv fills in the default; the type says the parameter is optional to clients.
      const limit = request.query.limit ?? REJECTED_EVENTS_DEFAULT_LIMIT;
      // One row more than asked tells whether another page exists, so the
      // last page says next_before: null instead of leading to an empty one.
      const rows = await app.rejectedEventsRepository.list({
        limit: limit + 1,
        beforeId: before,
        source,
        reason,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        rejected_events: page.map(presentRejectedEvent),
        next_before: rows.length > limit && last !== undefined ? last.id : null,
      };
    },
  );
};
