import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { version } from '../../../package.json';
import { BEARER_SCHEME, documentedPaths } from '../openapiTransform';
import { TAG_DESCRIPTIONS } from '../schemas';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PREFIX = '/docs';

/**
 * The OpenAPI 3.1 document, generated from the routes' TypeBox schemas (so it
 * cannot drift from what is validated), at /openapi.json, and Swagger UI at
 * /docs. Swagger UI's assets ship in the npm package and are served from
 * here; with validatorUrl left null the page calls nothing outside.
 * Registered before the routes: it collects them through an onRoute hook.
 */
export const openapiPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      transform: documentedPaths,
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'medication periods',
          version,
          description:
            'Turns medication-administration device events into the periods each patient ' +
            'was on each medication. Errors are always {"error", "message"}.',
        },
        tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({
          name,
          description,
        })),
        components: {
          securitySchemes: {
            [BEARER_SCHEME]: {
              type: 'http',
              scheme: 'bearer',
              description:
                'One of API_TOKENS; required when the service is configured with tokens.',
            },
          },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
    app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi', fastify: '5.x' },
);
