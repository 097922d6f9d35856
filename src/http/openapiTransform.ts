import type { SwaggerTransform } from '@fastify/swagger';
import type { TSchema } from '@sinclair/typebox';

/** The security scheme the /api/ and /fhir/ routes take when API_TOKENS is set. */
export const BEARER_SCHEME = 'bearerAuth';

/**
 * A prefixed '/' route answers at /x and /x/, and @fastify/swagger sees the
 * latter; clients and docs/api.md use /x, so that is what is documented.
 * Routes behind the token say so, so that Swagger UI sends the token.
 */
export const documentedPaths: SwaggerTransform = ({ schema, url }) => {
  const path = url.length > 1 ? url.replace(/\/+$/, '') : url;
  const protectedRoute = /^\/(api|fhir)\//.test(path);
  return {
    schema: protectedRoute ? { ...schema, security: [{ [BEARER_SCHEME]: [] }] } : schema,
    url: path,
  };
};

/**
 * Route config that documents a request body without validating it: for a
 * route whose handler checks the body itself, so that what ajv would turn
 * into a 400 gets the route's own answer (e.g. a rejected event with a reason).
 */
export function documentBodyOnly(body: TSchema): { swaggerTransform: SwaggerTransform } {
  return {
    swaggerTransform: (input) => documentedPaths({ ...input, schema: { ...input.schema, body } }),
  };
}
