import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawServerDefault,
} from 'fastify';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { createMetrics, type Metrics } from '../metrics';
import { databasePlugin } from './plugins/database';
import { errorHandlerPlugin } from './plugins/errorHandler';
import { metricsPlugin } from './plugins/metrics';
import { openapiPlugin } from './plugins/openapi';
import {
  anomaliesRepositoryPlugin,
  eventIngestionPlugin,
  eventsRepositoryPlugin,
  periodsRepositoryPlugin,
  rejectedEventsRepositoryPlugin,
  type Repositories,
} from './plugins/repositories';
import type { PatientPeriodsCache } from '../readCache/patientPeriodsCache';
import type { WriteObserver } from '../store/writePath';
import { PrivacyLogController, genReqId, requestIdPlugin } from './plugins/requestLogging';
import { securityPlugin, type SecurityPluginOptions } from './plugins/security';
import { staticPagesPlugin } from './plugins/staticPages';
import type { ReadinessCheck } from './readiness';
import { answerClientError } from './clientErrors';
import { frameworkErrorAnswer } from './frameworkErrors';
import { routes } from './routes';
import { operationalRoutes } from './routes/operational';

export type { ReadinessCheck } from './readiness';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface BuildAppOptions {
  /** Opened and closed by the caller (it may be shared with the broker). */
  db: Knex;
  config: Pick<Config, 'LOG_LEVEL' | 'BODY_LIMIT_BYTES'>;
  /** An existing pino logger to share; otherwise one is made at config.LOG_LEVEL. */
  logger?: FastifyBaseLogger;
  /** Extra /readyz checks besides the database, e.g. { name: 'broker', … }. */
  readiness?: readonly ReadinessCheck[];
  /** Test seam: replace some repositories (fakes, or one that throws). */
  repositories?: Partial<Repositories>;
  /** The process's metrics, shared with the broker consumer; otherwise the app makes its own. */
  metrics?: Metrics;
  /** Serve periods from this cache (invalidated by every write this app makes). */
  readCache?: PatientPeriodsCache;
  /** Told about every write this app commits, besides metrics and the cache (e.g. change notices). */
  writeObserver?: WriteObserver;
  /** Tokens and rate limit (docs/security.md); absent: open API, headers only. */
  security?: SecurityPluginOptions;
  /**
   * 'operations': only /healthz, /readyz and /metrics, for a process that
   * consumes and serves no API (--role consumer with OPERATIONS_PORT).
   */
  surface?: 'api' | 'operations';
}

// Patient ids are up to 64 characters, percent-encoded up to 12 bytes each; a
// longer one must reach the route and get a 400 naming up_id, not a 404.
const MAX_PARAM_LENGTH = 1024;

function serverOptions(options: BuildAppOptions): FastifyServerOptions {
  return {
    bodyLimit: options.config.BODY_LIMIT_BYTES,
    genReqId,
    logController: new PrivacyLogController(),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkErrorAnswer(MAX_PARAM_LENGTH),
    clientErrorHandler: answerClientError,
    ajv: {
      customOptions: {
        // Fastify's default strips unknown properties silently; we want them
        // to fail validation so that a mistyped parameter is a 400.
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
  };
}

/** The configured HTTP API, not listening: the caller decides when (main.ts) or injects (tests). */
export function buildApp(options: BuildAppOptions): App {
  const base = serverOptions(options);
  const app = (
    options.logger
      ? Fastify({ ...base, loggerInstance: options.logger })
      : Fastify({ ...base, logger: { level: options.config.LOG_LEVEL } })
  ).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: without this, text/plain bodies would reach the routes as strings.
  app.removeContentTypeParser('text/plain');

  app.register(requestIdPlugin);
  app.register(securityPlugin, options.security ?? {});
  app.register(errorHandlerPlugin, { bodyLimit: options.config.BODY_LIMIT_BYTES });
  app.register(metricsPlugin, { metrics: options.metrics ?? createMetrics() });
  app.register(databasePlugin, { db: options.db });
  if (options.surface === 'operations') {
    app.register(operationalRoutes, { readiness: options.readiness ?? [] });
    return app;
  }
  const overrides = options.repositories ?? {};
  app.register(periodsRepositoryPlugin, {
    readCache: options.readCache,
    override: overrides.periodsRepository,
  });
  app.register(eventsRepositoryPlugin, { override: overrides.eventsRepository });
  app.register(anomaliesRepositoryPlugin, { override: overrides.anomaliesRepository });
  app.register(rejectedEventsRepositoryPlugin, { override: overrides.rejectedEventsRepository });
  app.register(eventIngestionPlugin, {
    readCache: options.readCache,
    writeObserver: options.writeObserver,
    override: overrides.eventIngestion,
  });
  // Before the routes: it collects them as they are added.
  app.register(openapiPlugin);
  app.register(routes, { readiness: options.readiness ?? [] });
  app.register(staticPagesPlugin);
  return app;
}
