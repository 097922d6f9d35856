import { isoTime, type PeriodStatus } from '../domain';

/** One period of a patient's list: what the API shows of it. */
export interface ListedPeriod {
  medicationName: string;
  startTime: number;
  endTime: number | null;
  status: PeriodStatus;
}

const quotedTime = (ms: number) => `"${isoTime(ms)}"`;

/**
 * A patient's periods as the `periods` array of GET
 * /api/v1/medication_periods/:up_id, byte for byte what the route's schema
 * serializer writes for the same rows (a test holds the two together), so
 * that it can be stored once and sent as it is. Rows come in the API's order.
 * Times and statuses need no escaping; names go through JSON.stringify.
 */
export function renderPeriodList(rows: readonly ListedPeriod[]): string {
  const parts = rows.map(
    (r) =>
      `{"medication_name":${JSON.stringify(r.medicationName)},` +
      `"start_time":${quotedTime(r.startTime)},` +
      `"end_time":${r.endTime === null ? 'null' : quotedTime(r.endTime)},` +
      `"status":"${r.status}"}`,
  );
  return `[${parts.join(',')}]`;
}

/** The whole 200 body of GET /api/v1/medication_periods/:up_id around a rendered list. */
export function renderPeriodsResponse(upId: string, periodsJson: string): string {
  return `{"up_id":${JSON.stringify(upId)},"periods":${periodsJson}}`;
}
