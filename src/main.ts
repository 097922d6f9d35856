import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { loadConfig } from './config';
import { buildApp, type ReadinessCheck } from './http/app';
import { resolveAuthSettings } from './http/plugins/authBinding';
import { parseTokenList } from './http/plugins/authTokens';
import { createLogger } from './logging';
import { createMetrics } from './metrics';
import { PatientPeriodsCache } from './readCache/patientPeriodsCache';
import { startBrokerSide } from './runtime/brokerSide';
import { listen } from './server';
import { createDb, migrateLatest } from './store/db';

type Role = 'all' | 'api' | 'consumer';

function roleFromArgs(): Role {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role;
  if (role !== 'all' && role !== 'api' && role !== 'consumer') {
    throw new Error(`--role must be all, api or consumer, got ${JSON.stringify(role)}`);
  }
  return role;
}

/** Stops everything on SIGTERM/SIGINT, in order, bounded by the shutdown timeout. */
function onShutdownSignal(log: Logger, timeoutMs: number, steps: (() => Promise<void>)[]): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, timeoutMs + 2000);
    timer.unref();
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        log.error({ err: error }, 'shutdown step failed');
      }
    }
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
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
  if (auth?.warning) log.warn({ host: config.HOST }, auth.warning);
  const db = createDb(config.DATABASE_URL);
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
  const steps: (() => Promise<void>)[] = [...(brokerSide?.stopSteps ?? [])];
  const readiness: ReadinessCheck[] = brokerSide?.readiness ?? [];
  if (role !== 'consumer') {
    const security = {
      apiTokens: auth?.apiTokens,
      operationsTokens: auth?.operationsTokens,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    };
    const app = buildApp({
      db,
      config,
      logger: log,
      readiness,
      metrics,
      security,
      readCache,
      writeObserver: brokerSide?.changeNotifier,
    });
    const close = await listen(app, config.HOST, config.PORT);
    steps.unshift(close);
  } else if (config.OPERATIONS_PORT !== undefined) {
    // Probes and Prometheus for a consumer: no API, so no clinical data and no
    // API tokens; OPERATIONS_TOKENS guards these routes as in the API roles.
    const app = buildApp({
      db,
      config,
      logger: log,
      readiness,
      metrics,
      surface: 'operations',
      security: {
        operationsTokens: parseTokenList('OPERATIONS_TOKENS', config.OPERATIONS_TOKENS),
      },
    });
    const close = await listen(app, config.HOST, config.OPERATIONS_PORT);
    steps.unshift(close);
  }
  steps.push(() => db.destroy());
  onShutdownSignal(log, config.SHUTDOWN_TIMEOUT_MS, steps);
  log.info(
    { role, database: config.DATABASE_URL.split(':')[0], broker: brokerSide !== undefined },
    'started',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
