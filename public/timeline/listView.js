// @ts-check
import { el, periodInRange } from './dom.js';
import { formatDateTime, formatDuration } from './format.js';

/** @typedef {import('./api.js').PatientData} PatientData */
/** @typedef {import('./urlState.js').Range} Range */

/**
 * @param {string} caption
 * @param {string[]} headings
 * @param {string[][]} rows
 * @param {string} className
 */
function table(caption, headings, rows, className) {
  const head = el(
    'tr',
    {},
    headings.map((h) => el('th', { scope: 'col' }, [h])),
  );
  const body = rows.map((cells) =>
    el(
      'tr',
      {},
      cells.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, [c]) : el('td', {}, [c]))),
    ),
  );
  return el('table', { class: className }, [
    el('caption', {}, [caption]),
    el('thead', {}, [head]),
    el('tbody', {}, body),
  ]);
}

/**
 * The same data as the chart, as tables: what a screen reader, a keyboard
 * user or someone copying values into a note needs.
 * @param {HTMLElement} container
 * @param {string} patient
 * @param {PatientData} data
 * @param {Range} range
 */
export function renderList(container, patient, data, range) {
  const periods = data.periods.filter((p) => periodInRange(p, range));
  const anomalies = data.anomalies.filter((a) => {
    const t = Date.parse(a.event.event_time);
    return t >= range.from && t < range.to;
  });
  const span = `${formatDateTime(range.from)} – ${formatDateTime(range.to)}`;
  container.replaceChildren(
    table(
      `Periods of ${patient} in ${span}: ${periods.length} of ${data.periods.length}`,
      ['Medication', 'Start', 'End', 'Duration', 'Status'],
      periods.map((p) => {
        const start = Date.parse(p.start_time);
        const end = p.end_time === null ? null : Date.parse(p.end_time);
        return [
          p.medication_name,
          formatDateTime(start),
          end === null ? '—' : formatDateTime(end),
          end === null ? '—' : formatDuration(end - start),
          end === null ? 'ongoing (active)' : 'completed',
        ];
      }),
      'periods-table',
    ),
    table(
      `Anomalies of ${patient} in ${span}: ${anomalies.length} of ${data.anomalies.length}`,
      ['Medication', 'Event time', 'Anomaly', 'Explanation'],
      anomalies.map((a) => [
        a.medication_name,
        `${formatDateTime(Date.parse(a.event.event_time))} (${a.event.action})`,
        a.code,
        a.message,
      ]),
      'anomalies-table',
    ),
  );
}
