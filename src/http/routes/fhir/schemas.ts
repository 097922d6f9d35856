import { Type } from '@sinclair/typebox';

/** FHIR's JSON media type; every FHIR response carries it, errors included. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** OpenAPI tag of the FHIR routes. */
export const FHIR_TAG = 'fhir';

/**
 * A FHIR resource in a response. Declared loosely on purpose: the resources
 * are built by src/fhir, typed there and validated against the official R4
 * JSON schema in the tests; here the schema only documents and lets every
 * element through the serializer.
 */
export const fhirResource = (description: string) =>
  Type.Unsafe<object>({ type: 'object', additionalProperties: true, description });

export const fhirErrorResponses = {
  '4xx': fhirResource(
    'OperationOutcome: 400 a bad or unknown search parameter, 404 no such FHIR route, ' +
      '406 a _format other than json',
  ),
  '5xx': fhirResource('OperationOutcome: anything unexpected; details only in the server log'),
} as const;

/** Repeatable FHIR parameters arrive as arrays (ajv coerces a single value into one). */
const repeatable = (description: string) =>
  Type.Optional(Type.Array(Type.String(), { description }));

export const FormatQuery = {
  _format: repeatable('json, application/json or application/fhir+json; nothing else is served'),
};

export const MedicationAdministrationSearchQuery = Type.Object(
  {
    subject: repeatable('Patient/{up_id}; subject or patient is required'),
    patient: repeatable('{up_id} (or Patient/{up_id})'),
    status: repeatable('in-progress or completed (commas OR, repeats AND)'),
    'effective-time': repeatable(
      'geDATE or leDATE: periods overlapping the range; repeatable, e.g. ge2021-03-24',
    ),
    ...FormatQuery,
  },
  // A FHIR server may ignore unknown parameters; this one names them in a 400,
  // so a mistyped filter never silently returns every administration.
  { additionalProperties: false },
);

export const MetadataQuery = Type.Object(FormatQuery, { additionalProperties: false });
