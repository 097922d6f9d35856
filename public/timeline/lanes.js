// @ts-check
import { describeAnomaly, describePeriod } from './describe.js';
import { el, medicationsOf, periodInRange } from './dom.js';
import { formatTick } from './format.js';
import { percentOf, ticksFor } from './timeScale.js';

/** @typedef {import('./api.js').PatientData} PatientData */
/** @typedef {import('./api.js').Period} Period */
/** @typedef {import('./urlState.js').Range} Range */

/**
 * One period as a bar, clipped to the range. An active period runs to now
 * (or off the right edge) and is marked ongoing; a zero-length one gets a
 * minimum width from the stylesheet so it stays visible.
 * @param {Period} period
 * @param {Range} range
 * @param {number} now
 */
function bar(period, range, now) {
  const start = Date.parse(period.start_time);
  const active = period.end_time === null;
  const end = active ? Math.max(now, start) : Date.parse(period.end_time ?? '');
  const left = Math.max(0, percentOf(start, range));
  const right = Math.min(100, percentOf(end, range));
  const classes = ['bar', active ? 'bar--active' : 'bar--completed'];
  if (start === end) classes.push('bar--instant');
  if (start < range.from) classes.push('bar--clipped-start');
  if (end > range.to) classes.push('bar--clipped-end');
  const text = describePeriod(period);
  const element = el('button', {
    type: 'button',
    class: classes.join(' '),
    title: text,
    'aria-label': text,
    'data-status': period.status,
    'data-start': period.start_time,
  });
  if (active)
    element.append(
      el('span', { class: 'ongoing', 'aria-hidden': 'true' }, [
        el('span', { class: 'ongoing-word' }, ['ongoing ']),
        '▶',
      ]),
    );
  element.style.left = `${left}%`;
  element.style.width = `${Math.max(0, right - left)}%`;
  return element;
}

/**
 * @param {import('./api.js').Anomaly} anomaly
 * @param {Range} range
 */
function anomalyMarker(anomaly, range) {
  const text = describeAnomaly(anomaly);
  const marker = el(
    'button',
    {
      type: 'button',
      class: 'anomaly',
      title: text,
      'aria-label': text,
      'data-code': anomaly.code,
    },
    ['⚠'],
  );
  marker.style.left = `${percentOf(Date.parse(anomaly.event.event_time), range)}%`;
  return marker;
}

/** @param {Range} range @param {number} now */
function axis(range, now) {
  const { step, ticks } = ticksFor(range, 8);
  const container = el('div', { class: 'axis', 'aria-hidden': 'true' });
  ticks.forEach((t, i) => {
    // A label centred on the right edge would be cut off by the chart's border.
    if (percentOf(t, range) > 95) return;
    const tick = el('span', { class: 'tick' }, [
      formatTick(t, step, i === 0 ? null : ticks[i - 1]),
    ]);
    tick.style.left = `${percentOf(t, range)}%`;
    container.append(tick);
  });
  if (now >= range.from && now <= range.to) {
    const marker = el('span', { class: 'now' }, ['now']);
    marker.style.left = `${percentOf(now, range)}%`;
    container.append(marker);
  }
  return container;
}

/**
 * The chart: an axis, then one lane per medication with its bars and
 * anomaly markers in the range.
 * @param {HTMLElement} container
 * @param {PatientData} data
 * @param {Range} range
 * @param {number} now
 */
export function renderLanes(container, data, range, now) {
  const lanes = el('ul', { class: 'lanes', 'aria-label': 'Medications' });
  medicationsOf(data).forEach((name, i) => {
    const labelId = `lane-label-${i}`;
    const track = el('div', { class: 'track', role: 'group', 'aria-labelledby': labelId });
    for (const p of data.periods) {
      if (p.medication_name === name && periodInRange(p, range)) track.append(bar(p, range, now));
    }
    for (const a of data.anomalies) {
      const t = Date.parse(a.event.event_time);
      if (a.medication_name === name && t >= range.from && t < range.to) {
        track.append(anomalyMarker(a, range));
      }
    }
    const label = el('span', { class: 'lane-label', id: labelId }, [name]);
    lanes.append(el('li', { class: 'lane', 'data-medication': name }, [label, track]));
  });
  container.replaceChildren(el('div', { class: 'axis-row' }, [axis(range, now)]), lanes);
}
