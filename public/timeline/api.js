// @ts-check
/**
 * The service's public API, as any client calls it: same origin, with the
 * bearer token when the user gave one.
 */

/**
 * @typedef {{ medication_name: string, start_time: string, end_time: string | null,
 *   status: 'active' | 'completed' }} Period
 * @typedef {{ code: string, message: string, medication_name: string,
 *   event: { action: string, event_time: string, dedupe_key: string } }} Anomaly
 * @typedef {{ periods: Period[], anomalies: Anomaly[] }} PatientData
 * @typedef {{ kind: 'unauthorized' | 'error', status: number, message: string,
 *   requestId: string | null }} LoadFailure
 */

export class LoadError extends Error {
  /** @param {LoadFailure} failure */
  constructor(failure) {
    super(failure.message);
    this.failure = failure;
  }
}

/**
 * @param {string} path
 * @param {string} token
 * @returns {Promise<any>} the parsed JSON body
 */
async function getJson(path, token) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw new LoadError({
      kind: 'error',
      status: 0,
      message: 'the service could not be reached',
      requestId: null,
    });
  }
  const body = await response.json().catch(() => null);
  if (response.ok && body !== null) return body;
  throw new LoadError({
    kind: response.status === 401 ? 'unauthorized' : 'error',
    status: response.status,
    message: typeof body?.message === 'string' ? body.message : response.statusText,
    requestId: response.headers.get('x-request-id'),
  });
}

/**
 * A patient's periods and anomalies, fetched together.
 * @param {string} upId
 * @param {string} token
 * @returns {Promise<PatientData>}
 */
export async function loadPatient(upId, token) {
  const id = encodeURIComponent(upId);
  const [periods, anomalies] = await Promise.all([
    getJson(`/api/v1/medication_periods/${id}`, token),
    getJson(`/api/v1/patients/${id}/anomalies`, token),
  ]);
  return { periods: periods.periods, anomalies: anomalies.anomalies };
}
