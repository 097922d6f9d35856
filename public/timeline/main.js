// @ts-check
import { LoadError, loadPatient } from './api.js';
import { timeZone, toLocalInput } from './format.js';
import { renderLanes } from './lanes.js';
import { renderList } from './listView.js';
import { fitRange, pan, zoom } from './timeScale.js';
import { readUrl, writeUrl } from './urlState.js';

/** @typedef {import('./api.js').PatientData} PatientData */
/** @typedef {import('./urlState.js').Range} Range */

const TOKEN_KEY = 'medication-periods.api-token';

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}
const input = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (byId(id));

/** @type {{ patient: string, data: PatientData | null, range: Range | null }} */
const view = { patient: '', data: null, range: null };

/**
 * @param {string} text
 * @param {'info' | 'error' | ''} kind
 */
function say(text, kind) {
  const message = byId('message');
  message.textContent = text;
  message.className = kind ? `message message--${kind}` : '';
}

function render() {
  const { data, range } = view;
  if (!data || !range) return;
  const now = Date.now();
  renderLanes(byId('chart'), data, range, now);
  renderList(byId('tables'), view.patient, data, range);
  input('range-from').value = toLocalInput(range.from);
  input('range-to').value = toLocalInput(range.to);
  byId('view-title').textContent = `Timeline of ${view.patient}`;
  byId('selection').textContent = '';
  byId('view').hidden = false;
}

/** @param {Range} range */
function showRange(range) {
  view.range = range;
  writeUrl({ patient: view.patient, range }, 'replace');
  render();
}

/** @param {unknown} error */
function explain(error) {
  if (!(error instanceof LoadError)) return 'Could not show the data: an unexpected error.';
  const { kind, status, message, requestId } = error.failure;
  if (kind === 'unauthorized') {
    return 'The service needs a valid API token (HTTP 401): enter it under “API token” and press Show.';
  }
  const where = status ? ` (HTTP ${status}${requestId ? `, request id ${requestId}` : ''})` : '';
  return `Could not load the data: ${message}${where}.`;
}

/**
 * @param {string} patient
 * @param {Range | null} range the range to show; null fits the data
 * @param {'push' | 'replace'} mode
 */
async function load(patient, range, mode) {
  Object.assign(view, { patient, data: null, range: null });
  byId('view').hidden = true;
  say(`Loading ${patient}…`, 'info');
  try {
    const data = await loadPatient(patient, input('token').value.trim());
    if (view.patient !== patient) return; // a newer request took over
    if (data.periods.length === 0 && data.anomalies.length === 0) {
      writeUrl({ patient, range: null }, mode);
      say(
        `No periods and no anomalies for patient “${patient}”. Ids are case-sensitive: check the spelling.`,
        'info',
      );
      return;
    }
    view.data = data;
    view.range = range ?? fitRange(data, Date.now());
    writeUrl({ patient, range: view.range }, mode);
    say('', '');
    render();
  } catch (error) {
    if (view.patient !== patient) return;
    say(explain(error), 'error');
    if (error instanceof LoadError && error.failure.kind === 'unauthorized') input('token').focus();
  }
}

/** @param {string} action */
function act(action) {
  const { data, range } = view;
  if (!data || !range) return;
  if (action === 'zoom-in') showRange(zoom(range, 0.5));
  else if (action === 'zoom-out') showRange(zoom(range, 2));
  else if (action === 'pan-earlier') showRange(pan(range, -0.25));
  else if (action === 'pan-later') showRange(pan(range, 0.25));
  else if (action === 'fit') showRange(fitRange(data, Date.now()));
  else if (action === 'until-now')
    showRange({ from: range.from, to: Math.max(Date.now(), range.from + 60_000) });
}

const KEYS = /** @type {Record<string, string>} */ ({
  '+': 'zoom-in',
  '=': 'zoom-in',
  '-': 'zoom-out',
  ArrowLeft: 'pan-earlier',
  ArrowRight: 'pan-later',
  0: 'fit',
});

function wire() {
  byId('zone-note').textContent = `Times are shown in ${timeZone}.`;
  const token = input('token');
  token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  token.addEventListener('change', () => {
    const value = token.value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  });
  byId('patient-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token.dispatchEvent(new Event('change'));
    const patient = input('patient').value.trim();
    if (patient) void load(patient, null, 'push');
  });
  byId('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const from = new Date(input('range-from').value).getTime();
    const to = new Date(input('range-to').value).getTime();
    if (!(from < to)) return say('The range must start before it ends.', 'error');
    say('', '');
    showRange({ from, to });
  });
  byId('range-form').addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const action = target.closest('button')?.dataset.action;
    if (action) act(action);
  });
  byId('chart').addEventListener('keydown', (event) => {
    const action = event.target === event.currentTarget ? KEYS[event.key] : undefined;
    if (action) {
      event.preventDefault();
      act(action);
    }
  });
  byId('chart').addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target).closest('button');
    if (target) byId('selection').textContent = target.getAttribute('aria-label') ?? '';
  });
  window.addEventListener('popstate', fromUrl);
}

function fromUrl() {
  const { patient, range } = readUrl();
  input('patient').value = patient;
  if (patient) void load(patient, range, 'replace');
}

wire();
fromUrl();
