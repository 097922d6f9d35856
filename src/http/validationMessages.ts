import type { FastifySchemaValidationError } from 'fastify';

/**
 * Turns ajv's first error into "<field>: <what is wrong>", so a client reads
 * `status: must be one of active, completed` instead of
 * `querystring/status must be equal to one of the allowed values`.
 *
 * `allowed` lists the parameters the schema accepts, quoted back for an
 * unknown one (a clinician who typed `satus` learns the right spelling).
 */
export function describeValidationError(
  errors: readonly FastifySchemaValidationError[],
  allowed: readonly string[],
): string {
  const first = errors[0];
  if (first === undefined) return 'request does not match the schema';
  const { keyword, params } = first;
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');

  if (keyword === 'additionalProperties') {
    const extra = String(params.additionalProperty);
    return allowed.length > 0
      ? `${extra}: unknown parameter; accepted parameters are ${allowed.join(', ')}`
      : `${extra}: unknown parameter; this route takes none`;
  }
  if (keyword === 'required') return `${String(params.missingProperty)}: is required`;
  if (keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${path}: must be one of ${params.allowedValues.join(', ')}`;
  }
  if (keyword === 'type' && params.type === 'integer') return `${path}: must be an integer`;
  return `${path || 'request'}: ${first.message ?? 'is invalid'}`;
}
