import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AnomalyCode } from '../../../../../domain';
import type { AnomalyRow } from '../../../../../store/types';
import { isoTime } from '../../../../format';
import { requireUpId } from '../../../../params';
import {
  NoQuery,
  PatientAnomaliesResponse,
  TAGS,
  UpIdParams,
  errorResponsesFor,
  type Anomaly,
} from '../../../../schemas';

/** What each code of the semantics means, for an operator reading the list. */
const ANOMALY_MESSAGES: Readonly<Record<AnomalyCode, string>> = {
  unmatched_cancel_start: 'cancel_start with no earlier start left to cancel',
  unmatched_cancel_stop: 'cancel_stop with no earlier stop left to cancel',
  duplicate_start: 'start while a period was already active; the period keeps its earlier start',
  unmatched_stop: 'stop with no active period; ignored',
};

function presentAnomaly(row: AnomalyRow): Anomaly {
  return {
    code: row.code,
    message: ANOMALY_MESSAGES[row.code],
    medication_name: row.medicationName,
    event: { action: row.action, event_time: isoTime(row.eventTime), dedupe_key: row.eventKey },
  };
}

/** GET /api/v1/patients/:up_id/anomalies — each with its code and the event that caused it. */
export const patientAnomaliesRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:up_id/anomalies',
    {
      schema: {
        summary: "A patient's anomalies",
        description:
          'Events the rules ignored or could not pair (duplicate_start, unmatched_stop, ' +
          'unmatched_cancel_start, unmatched_cancel_stop), each with the event that caused it.',
        tags: [TAGS.patients],
        params: UpIdParams,
        querystring: NoQuery,
        response: {
          200: PatientAnomaliesResponse,
          ...errorResponsesFor('400 invalid_parameter: a bad up_id, or any query parameter'),
        },
      },
    },
    async (request) => {
      const upId = requireUpId(request.params.up_id);
      const rows = await app.anomaliesRepository.listForPatient(upId);
      return { up_id: upId, anomalies: rows.map(presentAnomaly) };
    },
  );
};
