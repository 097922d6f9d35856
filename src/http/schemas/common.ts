import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * A string limited to a fixed set of values. Emitted as a JSON Schema `enum`
 * (not TypeBox's anyOf-of-literals) so that a bad value yields one ajv error
 * whose `allowedValues` we can quote back to the client.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: object = {}) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

export function Nullable<T extends TSchema>(schema: T) {
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

/** Added to every route so that errors, too, go through compiled serialization. */
export const errorResponses = { '4xx': ErrorResponse, '5xx': ErrorResponse } as const;

/**
 * `up_id` in the path. Length and trimming are checked by `requireIdentifier`
 * (the domain trims before it counts), so the schema only demands a string.
 */
export const UpIdParams = Type.Object({ up_id: Type.String() }, { additionalProperties: false });
export type UpIdParams = Static<typeof UpIdParams>;

/** For routes that take no query: anything given is a mistake worth a 400, as elsewhere. */
export const NoQuery = Type.Object({}, { additionalProperties: false });
