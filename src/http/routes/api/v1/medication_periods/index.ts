import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PeriodFilter } from '../../../../../domain';
import type { PeriodRow } from '../../../../../store/types';
import { isoTime, isoTimeOrNull } from '../../../../format';
import { sendJsonText } from '../../../../rendered';
import { renderPeriodsResponse } from '../../../../../periodLists/periodListJson';
import {
  optionalMedication,
  parseInstantParam,
  parseTimeWindow,
  requireUpId,
} from '../../../../params';
import {
  PeriodsQuery,
  PeriodsResponse,
  TAGS,
  UpIdParams,
  errorResponsesFor,
  type Period,
} from '../../../../schemas';

function presentPeriod(row: PeriodRow): Period {
  return {
    medication_name: row.medicationName,
    start_time: isoTime(row.startTime),
    end_time: isoTimeOrNull(row.endTime),
    status: row.status,
  };
}

const isEmptyFilter = (filter: PeriodFilter) =>
  filter.medication === undefined &&
  filter.status === undefined &&
  filter.from === undefined &&
  filter.to === undefined;

/**
 * GET /api/v1/medication_periods/:up_id — the materialized periods, or with
 * `as_of` the periods as they stood, recomputed from the log.
 */
export const medicationPeriodsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:up_id',
    {
      schema: {
        summary: "A patient's medication periods",
        description:
          'From the materialized periods table, sorted by start_time then medication_name. ' +
          'from/to keep the periods overlapping [from, to); as_of replays the event log to ' +
          'answer as the periods stood from the events received by then.',
        tags: [TAGS.periods],
        params: UpIdParams,
        querystring: PeriodsQuery,
        response: {
          200: PeriodsResponse,
          ...errorResponsesFor(
            '400 invalid_parameter: a bad up_id, medication, status, from, to or as_of, ' +
              'from >= to, or an unknown parameter',
          ),
        },
      },
    },
    async (request, reply) => {
      const upId = requireUpId(request.params.up_id);
      const { query } = request;
      const filter: PeriodFilter = {
        ...parseTimeWindow(query),
        medication: optionalMedication(query.medication),
        status: query.status,
      };
      const asOf = parseInstantParam(query.as_of, 'as_of');
      if (asOf === undefined && isEmptyFilter(filter)) {
        // The usual request: the whole list, stored rendered; the body is
        // built once per snapshot, so a read-cache hit only sends it.
        const snapshot = await app.periodsRepository.snapshot(upId);
        snapshot.rendered ??= renderPeriodsResponse(upId, snapshot.periodsJson);
        return sendJsonText(reply, snapshot.rendered);
      }
      const rows =
        asOf === undefined
          ? await app.periodsRepository.list(upId, filter)
          : await app.periodsRepository.listAsOf(upId, asOf, filter);
      return { up_id: upId, periods: rows.map(presentPeriod) };
    },
  );
};
