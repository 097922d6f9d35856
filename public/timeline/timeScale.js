// @ts-check
/** The time axis: where an instant falls, the default range, zoom steps and ticks. */

/** @typedef {import('./urlState.js').Range} Range */
/** @typedef {import('./api.js').PatientData} PatientData */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  182 * DAY,
  365 * DAY,
];
const MIN_SPAN = MINUTE;
const MAX_SPAN = 50 * 365 * DAY;

/**
 * Position of an instant in the range, in percent of the track (may fall outside 0–100).
 * @param {number} ms
 * @param {Range} range
 */
export const percentOf = (ms, range) => ((ms - range.from) / (range.to - range.from)) * 100;

/**
 * The range that shows every start, stop and anomaly, padded by 5%. When the
 * data is recent (now is less than one data span after the last event), it
 * runs to now, so ongoing periods are seen up to the present; otherwise
 * (old data) it ends near the last event, and ongoing bars run off the edge.
 * @param {PatientData} data
 * @param {number} now
 * @returns {Range}
 */
export function fitRange(data, now) {
  const times = [
    ...data.periods.flatMap((p) => [p.start_time, p.end_time ?? p.start_time]),
    ...data.anomalies.map((a) => a.event.event_time),
  ].map((t) => Date.parse(t));
  let from = Math.min(...times);
  let to = Math.max(...times);
  const hasActive = data.periods.some((p) => p.status === 'active');
  if (hasActive && now > to && now - to < Math.max(to - from, HOUR)) to = now;
  const pad = Math.max((to - from) * 0.05, 5 * MINUTE);
  return { from: from - pad, to: to + pad };
}

/**
 * @param {Range} range
 * @param {number} factor < 1 zooms in, > 1 out, around the middle
 * @returns {Range}
 */
export function zoom(range, factor) {
  const middle = (range.from + range.to) / 2;
  const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, (range.to - range.from) * factor));
  return { from: Math.round(middle - span / 2), to: Math.round(middle + span / 2) };
}

/**
 * @param {Range} range
 * @param {number} fraction of the span; negative is earlier
 * @returns {Range}
 */
export function pan(range, fraction) {
  const shift = Math.round((range.to - range.from) * fraction);
  return { from: range.from + shift, to: range.to + shift };
}

/**
 * Tick instants at a step giving at most `max` ticks, aligned to local time.
 * @param {Range} range
 * @param {number} max
 * @returns {{ step: number, ticks: number[] }}
 */
export function ticksFor(range, max) {
  const span = range.to - range.from;
  const step = STEPS.find((s) => span / s <= max) ?? STEPS[STEPS.length - 1];
  // Align to the local wall clock: the offset of the zone at the start of the range.
  const offset = new Date(range.from).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((range.from - offset) / step) * step + offset;
  const ticks = [];
  for (let t = first; t <= range.to; t += step) ticks.push(t);
  return { step, ticks };
}
