// @ts-check
import { formatDateTime, formatDuration } from './format.js';

/**
 * The sentence a bar's tooltip, screen reader label and list row share.
 * @param {import('./api.js').Period} period
 */
export function describePeriod(period) {
  const start = Date.parse(period.start_time);
  if (period.end_time === null) {
    return `${period.medication_name}: ongoing since ${formatDateTime(start)} (still active)`;
  }
  const end = Date.parse(period.end_time);
  return (
    `${period.medication_name}: ${formatDateTime(start)} to ${formatDateTime(end)}, ` +
    `${formatDuration(end - start)}, completed`
  );
}

/**
 * The explanation shown on hover and focus of an anomaly marker.
 * @param {import('./api.js').Anomaly} anomaly
 */
export function describeAnomaly(anomaly) {
  const at = formatDateTime(Date.parse(anomaly.event.event_time));
  return (
    `Anomaly ${anomaly.code} (${anomaly.medication_name}): ${anomaly.message}. ` +
    `Event: ${anomaly.event.action} at ${at}`
  );
}
