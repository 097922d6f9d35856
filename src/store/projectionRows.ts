import type { Anomaly, Cancellation, Period, StreamKey } from '../domain';

const ids = (stream: StreamKey) => ({ up_id: stream.upId, medication_name: stream.medicationName });

export function periodRow(stream: StreamKey, p: Period): Record<string, unknown> {
  return {
    ...ids(stream),
    start_time: p.startTime,
    end_time: p.endTime,
    status: p.status,
    start_event_key: p.startEventKey,
    end_event_key: p.endEventKey,
  };
}

export function anomalyRow(stream: StreamKey, a: Anomaly): Record<string, unknown> {
  return {
    ...ids(stream),
    code: a.code,
    event_key: a.eventKey,
    event_time: a.eventTime,
    action: a.action,
  };
}

export function cancellationRow(stream: StreamKey, c: Cancellation): Record<string, unknown> {
  return {
    ...ids(stream),
    cancel_key: c.cancel.dedupeKey,
    cancel_time: c.cancel.eventTime,
    target_key: c.target.dedupeKey,
    target_time: c.target.eventTime,
    target_action: c.target.action,
  };
}
