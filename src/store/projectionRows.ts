import type { Anomaly, Cancellation, Period, StreamKey } from '../domain';

// Rows are written out field by field: spreading a shared helper's object cost
// microseconds a row here, the largest item of the write path's own diffing.
export function periodRow(stream: StreamKey, p: Period): Record<string, unknown> {
  return {
    up_id: stream.upId,
    medication_name: stream.medicationName,
    start_time: p.startTime,
    end_time: p.endTime,
    status: p.status,
    start_event_key: p.startEventKey,
    end_event_key: p.endEventKey,
  };
}

export function anomalyRow(stream: StreamKey, a: Anomaly): Record<string, unknown> {
  return {
    up_id: stream.upId,
    medication_name: stream.medicationName,
    code: a.code,
    event_key: a.eventKey,
    event_time: a.eventTime,
    action: a.action,
  };
}

export function cancellationRow(stream: StreamKey, c: Cancellation): Record<string, unknown> {
  return {
    up_id: stream.upId,
    medication_name: stream.medicationName,
    cancel_key: c.cancel.dedupeKey,
    cancel_time: c.cancel.eventTime,
    target_key: c.target.dedupeKey,
    target_time: c.target.eventTime,
    target_action: c.target.action,
  };
}
