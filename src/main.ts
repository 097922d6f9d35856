import { Command, Option } from 'commander';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config';
import { buildApp, type BuildAppOptions, type ReadinessCheck } from './http/app';
import { resolveAuthSettings } from './http/plugins/authBinding';
import { parseTokenList } from './http/plugins/authTokens';
import { createLogger } from './logging';
import { createMetrics } from './metrics';
import { PatientPeriodsCache } from './readCache/patientPeriodsCache';
import { startBrokerSide } from './runtime/brokerSide';
import { closeGracefully } from './runtime/closeGracefully';
import { listen } from './server';
import { createDb, migrateLatest } from './store/db';

const ROLES = ['all', 'api', 'consumer'] as const;
type Role = (typeof ROLES)[number];

function roleFromArgs(): Role {
  const program = new Command('medication-periods')
    .description(
      'The service: the HTTP API and the broker consumer. Configured by environment variables (README).',
    )
    .addOption(
      new Option('--role <role>', 'api: HTTP only; consumer: broker only; all: both')
        .choices(ROLES)
        .default('all'),
    )
    .parse();
  return program.opts<{ role: Role }>().role;
}

/**
 * What this process serves over HTTP, and on which port (null: nothing). The
 * API roles serve everything on PORT; a consumer only its probes and metrics,
 * and only on OPERATIONS_PORT: no API, so no clinical data and no API tokens,
 * while OPERATIONS_TOKENS guards those routes as in the API roles.
 */
function httpToServe(
  role: Role,
  config: Config,
  api: Partial<BuildAppOptions>,
): { port: number; options: Partial<BuildAppOptions> } | null {
  if (role !== 'consumer') return { port: config.PORT, options: api };
  if (config.OPERATIONS_PORT === undefined) return null;
  const operationsTokens = parseTokenList('OPERATIONS_TOKENS', config.OPERATIONS_TOKENS);
  return {
    port: config.OPERATIONS_PORT,
    options: { surface: 'operations', security: { operationsTokens } },
  };
}

/**
 * The process: applies pending migrations, then runs the API, the consumer
 * (when AMQP_URL is set), or both (`--role all`, the default).
 */
async function main(): Promise<void> {
  const role = roleFromArgs();
  const config = loadConfig();
  // Before anything else: an API that would be open beyond this machine must not start.
  const auth = role === 'consumer' ? null : resolveAuthSettings(config);
  const log = createLogger(config);
  startLog = log;
  const shutdown = closeGracefully(log, config.SHUTDOWN_TIMEOUT_MS);
  if (auth?.warning) log.warn({ host: config.HOST }, auth.warning);
  const db = createDb(config.DATABASE_URL, { log });
  shutdown.onStop(() => db.destroy());
  await migrateLatest(db);

  // One registry per process: the consumer's series are served by this process's /metrics.
  const metrics = createMetrics();
  // Only a process that serves reads has anything to cache.
  const readCache =
    role !== 'consumer' && config.READ_CACHE_TTL_MS > 0
      ? new PatientPeriodsCache({
          maxPatients: config.READ_CACHE_MAX_PATIENTS,
          ttlMs: config.READ_CACHE_TTL_MS,
        })
      : undefined;
  if (role === 'consumer' && config.AMQP_URL === undefined)
    throw new Error('--role consumer needs AMQP_URL');
  const brokerSide = config.AMQP_URL
    ? await startBrokerSide({
        config,
        amqpUrl: config.AMQP_URL,
        consume: role !== 'api',
        serveApi: role !== 'consumer',
        db,
        log,
        metrics,
        readCache,
      })
    : undefined;
  if (brokerSide) shutdown.onStop(...brokerSide.stopSteps);
  const readiness: ReadinessCheck[] = brokerSide?.readiness ?? [];
  const http = httpToServe(role, config, {
    security: {
      apiTokens: auth?.apiTokens,
      operationsTokens: auth?.operationsTokens,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    },
    readCache,
    writeObserver: brokerSide?.changeNotifier,
  });
  if (http) {
    const app = buildApp({ db, config, logger: log, readiness, metrics, ...http.options });
    shutdown.onStop(await listen(app, config.HOST, http.port));
  }
  log.info(
    { role, database: config.DATABASE_URL.split(':')[0], broker: brokerSide !== undefined },
    'started',
  );
}

/** Set once the configuration is read, so that a failed start is logged like everything else. */
let startLog: Logger | undefined;

main().catch((error: unknown) => {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
  if (!startLog) {
    console.error(message);
    process.exit(1);
  }
  startLog.fatal({ errCode: (error as { code?: unknown }).code }, `failed to start: ${message}`);
  startLog.flush(() => process.exit(1));
});
