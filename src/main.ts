import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config';
import { startConsumer, type Consumer } from './broker/consumer';
import { connectBroker } from './broker/connection';
import { resolveBrokerOptions } from './broker/options';
import { storeWrite } from './broker/storeWrite';
import { buildApp, type ReadinessCheck } from './http/app';
import { createLogger } from './logging';
import { createMetrics, metricsConsumerObserver, metricsWriteObserver } from './metrics';
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

function brokerOptionsFrom(config: Config, amqpUrl: string) {
  return resolveBrokerOptions({
    url: amqpUrl,
    exchange: config.AMQP_EXCHANGE,
    queue: config.AMQP_QUEUE,
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    prefetch: config.AMQP_PREFETCH,
    batchSize: config.AMQP_BATCH_SIZE,
    batchWindowMs: config.AMQP_BATCH_WINDOW_MS,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
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
  const log = createLogger(config);
  const db = createDb(config.DATABASE_URL);
  await migrateLatest(db);

  // One registry per process: the consumer's series are served by this process's /metrics.
  const metrics = createMetrics();
  const steps: (() => Promise<void>)[] = [];
  const readiness: ReadinessCheck[] = [];
  let consumer: Consumer | undefined;
  const runConsumer = role !== 'api' && config.AMQP_URL !== undefined;
  if (role === 'consumer' && config.AMQP_URL === undefined)
    throw new Error('--role consumer needs AMQP_URL');
  if (runConsumer && config.AMQP_URL) {
    const connection = await connectBroker({
      options: brokerOptionsFrom(config, config.AMQP_URL),
      logger: log,
    });
    consumer = await startConsumer({
      write: storeWrite(db, metricsWriteObserver(metrics)),
      connection,
      logger: log,
      observer: metricsConsumerObserver(metrics),
    });
    readiness.push({
      name: 'broker',
      check: () => {
        if (!connection.isConnected()) throw new Error('broker not connected');
      },
    });
    steps.push(
      () => consumer!.stop(),
      () => connection.close(),
    );
  }
  if (role !== 'consumer') {
    const app = buildApp({ db, config, logger: log, readiness, metrics });
    const close = await listen(app, config.HOST, config.PORT);
    steps.unshift(close);
  }
  steps.push(() => db.destroy());
  onShutdownSignal(log, config.SHUTDOWN_TIMEOUT_MS, steps);
  log.info({ role, database: config.DATABASE_URL.split(':')[0], broker: runConsumer }, 'started');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
