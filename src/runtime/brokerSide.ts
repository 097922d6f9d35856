import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { connectBroker, type BrokerConnection } from '../broker/connection';
import { startConsumer } from '../broker/consumer';
import { resolveBrokerOptions } from '../broker/options';
import { loadAmqpTls } from '../broker/tlsFiles';
import {
  listenForPeriodChanges,
  listenerQueueName,
  publishPeriodChanges,
} from '../broker/periodChanges';
import { storeWrite } from '../broker/storeWrite';
import type { ReadinessCheck } from '../http/app';
import { metricsConsumerObserver, metricsWriteObserver, type Metrics } from '../metrics';
import type { PatientPeriodsCache } from '../readCache/patientPeriodsCache';
import { composeObservers, type WriteObserver } from '../store/writePath';

export interface BrokerSide {
  /** Publishes period-change notices for writes made outside the consumer (the HTTP API). */
  changeNotifier?: WriteObserver;
  readiness: ReadinessCheck[];
  /** In shutdown order. */
  stopSteps: (() => Promise<void>)[];
}

function brokerOptionsFrom(config: Config, url: string) {
  return resolveBrokerOptions({
    url,
    connectionName: config.AMQP_CONNECTION_NAME,
    tls: loadAmqpTls(config),
    exchange: config.AMQP_EXCHANGE,
    queue: config.AMQP_QUEUE,
    deliveryLimit: config.AMQP_DELIVERY_LIMIT,
    prefetch: config.AMQP_PREFETCH,
    batchSize: config.AMQP_BATCH_SIZE,
    batchWindowMs: config.AMQP_BATCH_WINDOW_MS,
    maxMessageBytes: config.AMQP_MAX_MESSAGE_BYTES,
    concurrentBatches: config.AMQP_CONCURRENT_BATCHES,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  });
}

/**
 * Everything this process does with RabbitMQ: the consumer (when it
 * consumes), period-change notices after every write, and (when it serves
 * the API with a read cache) listening to other processes' notices.
 */
export async function startBrokerSide(args: {
  config: Config;
  amqpUrl: string;
  consume: boolean;
  serveApi: boolean;
  db: Knex;
  log: Logger;
  metrics: Metrics;
  readCache?: PatientPeriodsCache;
}): Promise<BrokerSide> {
  const { config, log, readCache } = args;
  const options = brokerOptionsFrom(config, args.amqpUrl);
  const listens = args.serveApi && readCache !== undefined;
  const connection: BrokerConnection = await connectBroker({
    options,
    logger: log,
    periodChanges: { listenerQueue: listens ? listenerQueueName(options) : undefined },
  });
  const changeNotifier: WriteObserver = {
    onCommitted: (write) => void publishPeriodChanges(connection, write.changedPatients, log),
  };
  // The contract's /readyz asks for the broker whenever one is configured:
  // an API process needs it too, for the change notices its cache relies on.
  const side: BrokerSide = {
    changeNotifier,
    readiness: [
      {
        name: 'broker',
        check: () => {
          if (!connection.isConnected()) throw new Error('broker not connected');
        },
      },
    ],
    stopSteps: [],
  };
  if (listens && readCache) {
    await listenForPeriodChanges(
      connection,
      { onChange: (upIds) => readCache.invalidate(upIds), onReconnect: () => readCache.clear() },
      log,
    );
  }
  if (args.consume) {
    const consumer = await startConsumer({
      write: storeWrite(
        args.db,
        composeObservers(
          metricsWriteObserver(args.metrics),
          readCache?.invalidatedByWrites(),
          changeNotifier,
        ),
      ),
      connection,
      logger: log,
      observer: metricsConsumerObserver(args.metrics),
    });
    side.stopSteps.push(() => consumer.stop());
  }
  side.stopSteps.push(() => connection.close());
  return side;
}
