import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EventRow } from '../../../../../store/types';
import { isoTime } from '../../../../format';
import { requireUpId } from '../../../../params';
import {
  NoQuery,
  PatientEventsResponse,
  TAGS,
  UpIdParams,
  errorResponsesFor,
  type Event,
} from '../../../../schemas';

function presentEvent(row: EventRow): Event {
  return {
    medication_name: row.medicationName,
    action: row.action,
    event_time: isoTime(row.eventTime),
    received_at: isoTime(row.receivedAt),
    source: row.source,
    event_id: row.eventId,
    dedupe_key: row.dedupeKey,
    seq: row.seq,
  };
}

/** GET /api/v1/patients/:up_id/events — the accepted events, each stream in stream order. */
export const patientEventsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:up_id/events',
    {
      schema: {
        summary: "A patient's accepted events",
        description:
          'Grouped by medication name, each stream in stream order (time, then action ' +
          'precedence), with the source, dedupe key and position in the log of each.',
        tags: [TAGS.patients],
        params: UpIdParams,
        querystring: NoQuery,
        response: {
          200: PatientEventsResponse,
          ...errorResponsesFor('400 invalid_parameter: a bad up_id, or any query parameter'),
        },
      },
    },
    async (request) => {
      const upId = requireUpId(request.params.up_id);
      const rows = await app.eventsRepository.listForPatient(upId);
      return { up_id: upId, events: rows.map(presentEvent) };
    },
  );
};
