/**
 * The subset of FHIR R4 (4.0.1) this service produces, typed so the mapping
 * cannot emit a misspelt element. Field names and value sets follow
 * hl7.org/fhir/R4; only the elements we fill are declared.
 */

export type MedicationAdministrationStatus =
  'in-progress' | 'not-done' | 'on-hold' | 'completed' | 'entered-in-error' | 'stopped' | 'unknown';

export interface Reference {
  reference?: string;
  identifier?: { value: string };
  display?: string;
}

export interface MedicationAdministration {
  resourceType: 'MedicationAdministration';
  id: string;
  status: MedicationAdministrationStatus;
  medicationCodeableConcept: { text: string };
  subject: Reference;
  effectivePeriod: { start: string; end?: string };
}

export interface BundleEntry<R> {
  resource: R;
  search: { mode: 'match' };
}

export interface SearchsetBundle<R> {
  resourceType: 'Bundle';
  type: 'searchset';
  timestamp: string;
  total: number;
  link: { relation: 'self'; url: string }[];
  entry: BundleEntry<R>[];
}

/** Codes of the R4 value set issue-type that this service uses. */
export type IssueType =
  | 'invalid'
  | 'required'
  | 'not-found'
  | 'not-supported'
  | 'login'
  | 'forbidden'
  | 'throttled'
  | 'transient'
  | 'exception';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'error' | 'fatal'; code: IssueType; diagnostics: string }[];
}
