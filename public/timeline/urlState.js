// @ts-check
/**
 * The view in the URL's query string (?patient=…&from=…&to=…, instants in
 * UTC ISO 8601), so that a view can be bookmarked and shared across zones.
 */

/** @typedef {{ from: number, to: number }} Range */
/** @typedef {{ patient: string, range: Range | null }} ViewState */

/** @returns {ViewState} */
export function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  const range = Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
  return { patient: (params.get('patient') ?? '').trim(), range };
}

/**
 * @param {ViewState} state
 * @param {'push' | 'replace'} mode push: a new patient (Back returns); replace: zooming
 */
export function writeUrl(state, mode) {
  const params = new URLSearchParams();
  if (state.patient) params.set('patient', state.patient);
  if (state.range) {
    params.set('from', new Date(state.range.from).toISOString());
    params.set('to', new Date(state.range.to).toISOString());
  }
  const url = `${window.location.pathname}?${params}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (mode === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
