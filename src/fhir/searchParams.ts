import { MAX_UP_ID_LENGTH, characterCount } from '../domain';
import { parseDateParam } from './dateParam';
import { invalidSearch } from './requestError';

/** The query of a MedicationAdministration search; each parameter may repeat (AND). */
export interface MedicationAdministrationQuery {
  subject?: string[];
  patient?: string[];
  status?: string[];
  'effective-time'?: string[];
}

/** What the store is asked: the API's filter, or nothing at all when no period can match. */
export interface PeriodSearch {
  upId: string;
  status?: 'active' | 'completed';
  /** Epoch ms, the API's overlap window [from, to). */
  from?: number;
  to?: number;
  matchesNothing: boolean;
}

/** R4's medication-admin-status codes, and the period status each one finds (if any). */
const STATUS_CODES: Readonly<Record<string, 'active' | 'completed' | null>> = {
  'in-progress': 'active',
  completed: 'completed',
  'not-done': null,
  'on-hold': null,
  'entered-in-error': null,
  stopped: null,
  unknown: null,
};

/** FHIR's OR separator is an unescaped comma; `\,` `\|` `\$` `\\` are literal. */
function splitOr(value: string): string[] {
  return value.split(/(?<!\\),/).map((part) => part.replace(/\\([,|$\\])/g, '$1'));
}

function patientIdOf(param: string, raw: string): string {
  const alternatives = splitOr(raw);
  if (alternatives.length > 1) throw invalidSearch(param, 'give one patient per search');
  let value = alternatives[0]!.trim();
  if (value.startsWith('Patient/')) value = value.slice('Patient/'.length);
  else if (param === 'subject' && /^[A-Z][A-Za-z]+\/./.test(value)) {
    throw invalidSearch(param, 'only Patient subjects are supported, e.g. subject=Patient/avi123');
  }
  value = value.trim();
  if (value.length === 0 || characterCount(value) > MAX_UP_ID_LENGTH) {
    throw invalidSearch(param, `the patient id must be 1-${MAX_UP_ID_LENGTH} characters`);
  }
  return value;
}

function patientOf(query: MedicationAdministrationQuery): string {
  const ids = [
    ...(query.subject ?? []).map((v) => patientIdOf('subject', v)),
    ...(query.patient ?? []).map((v) => patientIdOf('patient', v)),
  ];
  if (ids.length === 0) {
    throw invalidSearch(
      'subject',
      'subject or patient is required, e.g. subject=Patient/avi123 or patient=avi123',
      'required',
    );
  }
  if (new Set(ids).size > 1) throw invalidSearch('subject, patient', 'name different patients');
  return ids[0]!;
}

/** Repeated `status` parameters AND, comma-separated codes OR; the statuses that satisfy all. */
function statusesOf(values: readonly string[]): Set<'active' | 'completed'> {
  let allowed = new Set<'active' | 'completed'>(['active', 'completed']);
  for (const value of values) {
    const matching = new Set<'active' | 'completed'>();
    for (const code of splitOr(value).map((c) => c.trim())) {
      if (!(code in STATUS_CODES)) {
        throw invalidSearch(
          'status',
          `'${code}' is not a MedicationAdministration status; ` +
            `one of ${Object.keys(STATUS_CODES).join(', ')}`,
        );
      }
      const status = STATUS_CODES[code];
      if (status) matching.add(status);
    }
    allowed = new Set([...allowed].filter((s) => matching.has(s)));
  }
  return allowed;
}

/**
 * A search's parameters as a period filter. `effective-time=geX` keeps the
 * periods overlapping [start of X, ∞), `leX` those overlapping (-∞, end of X),
 * with the API's overlap rule (an active period runs on; a zero-length one
 * counts at its instant); repeats narrow the window.
 */
export function parseMedicationAdministrationSearch(
  query: MedicationAdministrationQuery,
): PeriodSearch {
  const upId = patientOf(query);
  const statuses = statusesOf(query.status ?? []);
  let from: number | undefined;
  let to: number | undefined;
  for (const raw of query['effective-time'] ?? []) {
    const parsed = parseDateParam(raw);
    if (!parsed.ok) throw invalidSearch('effective-time', parsed.message);
    if (parsed.prefix === 'ge') from = Math.max(from ?? -Infinity, parsed.range.start);
    else to = Math.min(to ?? Infinity, parsed.range.end);
  }
  const emptyWindow = from !== undefined && to !== undefined && from >= to;
  return {
    upId,
    status: statuses.size === 1 ? [...statuses][0] : undefined,
    from,
    to,
    matchesNothing: statuses.size === 0 || emptyWindow,
  };
}
