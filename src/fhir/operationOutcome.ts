import type { IssueType, OperationOutcome } from './types';

/** The one error shape FHIR clients understand; `diagnostics` is the human text. */
export function operationOutcome(code: IssueType, diagnostics: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: code === 'exception' ? 'fatal' : 'error', code, diagnostics }],
  };
}

/** The issue type that best describes an HTTP error status, for errors raised outside FHIR code. */
export function issueTypeForStatus(statusCode: number): IssueType {
  if (statusCode === 401) return 'login';
  if (statusCode === 403) return 'forbidden';
  if (statusCode === 404) return 'not-found';
  if (statusCode === 406 || statusCode === 405 || statusCode === 501) return 'not-supported';
  if (statusCode === 429) return 'throttled';
  return statusCode >= 500 ? 'exception' : 'invalid';
}
