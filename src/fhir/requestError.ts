import type { IssueType } from './types';

/** A client mistake in a FHIR request: becomes an OperationOutcome with this status. */
export class FhirRequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly issue: IssueType,
    message: string,
  ) {
    super(message);
    this.name = 'FhirRequestError';
  }
}

/** A 400 about one search parameter; the message starts with its name, as in the API. */
export function invalidSearch(param: string, text: string, issue: IssueType = 'invalid') {
  return new FhirRequestError(400, issue, `${param}: ${text}`);
}

const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);

/**
 * `_format`: only JSON is served. A '+' typed into a URL arrives as a space,
 * so `application/fhir json` is read as what was meant.
 */
export function checkFormat(values: readonly string[] | undefined): void {
  for (const raw of values ?? []) {
    const format = raw.trim().replace(/ /g, '+').split(';')[0]!.trim().toLowerCase();
    if (!JSON_FORMATS.has(format)) {
      throw new FhirRequestError(
        406,
        'not-supported',
        `_format: '${raw}' is not served; this server speaks json (application/fhir+json) only`,
      );
    }
  }
}
