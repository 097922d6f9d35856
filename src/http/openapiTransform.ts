import type { SwaggerTransform } from '@fastify/swagger';
import type { TSchema } from '@sinclair/typebox';

/**
 * A prefixed '/' route answers at /x and /x/, and @fastify/swagger sees the
 * latter; clients and docs/api.md use /x, so that is what is documented.
 */
export const documentedPaths: SwaggerTransform = ({ schema, url }) => ({
  schema,
  url: url.length > 1 ? url.replace(/\/+$/, '') : url,
});

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
