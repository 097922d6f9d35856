// @ts-check
/**
 * Creates an element with attributes and children. Text goes in as text
 * nodes, never as HTML: medication names come from devices.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/**
 * The medications to draw, one lane each: every one with a period or an anomaly.
 * @param {import('./api.js').PatientData} data
 */
export function medicationsOf(data) {
  const names = new Set([
    ...data.periods.map((p) => p.medication_name),
    ...data.anomalies.map((a) => a.medication_name),
  ]);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * Whether a period shows in the range: the API's overlap rule (an active
 * period runs on; a zero-length one counts at its instant).
 * @param {import('./api.js').Period} period
 * @param {import('./urlState.js').Range} range
 */
export function periodInRange(period, range) {
  const start = Date.parse(period.start_time);
  const end = period.end_time === null ? Infinity : Date.parse(period.end_time);
  return start < range.to && (end > range.from || (end === start && start === range.from));
}
