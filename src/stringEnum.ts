import { Type } from '@sinclair/typebox';

/**
 * A string limited to a fixed set of values, for the HTTP schemas and the
 * environment's. Emitted as a JSON Schema `enum` (not TypeBox's
 * anyOf-of-literals) so that a bad value yields one ajv error whose
 * `allowedValues` can be quoted back (to a client, or to an operator).
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: object = {}) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}
