import { Type, type Static, type TSchema } from '@sinclair/typebox';

export { StringEnum } from '../../stringEnum';

export function Nullable<T extends TSchema>(schema: T) {
  // A type list, not anyOf: fast-json-stringify writes a type list directly,
  // but runs ajv (formats included) on every value of an anyOf to pick its
  // branch, which cost the periods route a tenth of its CPU.
  if (typeof schema.type === 'string') {
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
  }
  return Type.Union([schema, Type.Null()]);
}

/** Every time in a response: ISO 8601 UTC with milliseconds, e.g. 2021-03-24T18:23:56.000Z. */
export const IsoTime = Type.String({
  format: 'date-time',
  description: 'ISO 8601 UTC with milliseconds',
});

/** An ISO instant given by the client; parsed by the domain's event_time rule, not by ajv. */
export const IsoInstantParam = Type.String({
  description: 'ISO 8601 date-time with a UTC offset (Z, +hh:mm, +hhmm or +hh)',
});

/** The one error shape of the API. */
export const ErrorResponse = Type.Object({
  error: Type.String({ description: 'machine-readable code, e.g. invalid_parameter' }),
  message: Type.String({ description: 'human-readable explanation naming the culprit' }),
});
export type ErrorResponse = Static<typeof ErrorResponse>;

/** The error shape with a description, which becomes the response's text in /openapi.json. */
const describedError = (description: string) =>
  Type.Object(ErrorResponse.properties, { description });

const SERVER_ERROR = describedError(
  '500 internal_error: anything unexpected; details only in the server log, never a stack trace. ' +
    '503 database_unavailable: the database cannot be reached right now (with Retry-After)',
);

/** What any route under /api/ and /fhir/ may answer besides its own client errors. */
const EVERY_ROUTE =
  '; on every route: 401 unauthorized (API_TOKENS set, no valid bearer token), ' +
  '429 rate_limited (RATE_LIMIT_PER_MINUTE set, with Retry-After)';

/**
 * The 4xx and 5xx responses of a route, naming the codes it can answer.
 * Every route has them so that errors, too, go through compiled serialization.
 */
export function errorResponsesFor(clientErrors: string) {
  return { '4xx': describedError(clientErrors + EVERY_ROUTE), '5xx': SERVER_ERROR } as const;
}

/** For routes whose only client errors are the generic ones (a malformed URL). */
export const errorResponses = errorResponsesFor('400 invalid_request: the URL is malformed');

/**
 * `up_id` in the path. Length and trimming are checked by `requireIdentifier`
 * (the domain trims before it counts), so the schema only demands a string.
 */
export const UpIdParams = Type.Object(
  { up_id: Type.String({ description: 'patient id: 1–64 characters after trimming, exact case' }) },
  { additionalProperties: false },
);
export type UpIdParams = Static<typeof UpIdParams>;

/** For routes that take no query: anything given is a mistake worth a 400, as elsewhere. */
export const NoQuery = Type.Object({}, { additionalProperties: false });
