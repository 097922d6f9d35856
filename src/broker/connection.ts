import { BrokerAsPromised } from 'rascal';
import { withTimeout } from '../withTimeout';
import { describeError, silentLogger, type Logger } from './logger';
import { resolveBrokerOptions, type BrokerOptions } from './options';
import { addPeriodChanges } from './periodChanges';
import { buildTopology, vhostFromUrl } from './topology';

/** A rascal broker with the topology asserted, and whether it is connected right now. */
export interface BrokerConnection {
  readonly broker: BrokerAsPromised;
  readonly options: BrokerOptions;
  /** False between losing the connection and rascal re-establishing it; for /readyz. */
  isConnected(): boolean;
  /** Cancels subscriptions (waiting for their unacknowledged messages) and closes the connection. */
  close(): Promise<void>;
}

export interface ConnectBrokerArgs {
  options?: Partial<BrokerOptions>;
  logger?: Logger;
  /** Give up on the first connection after this long (rascal would otherwise retry forever). */
  connectTimeoutMs?: number;
  /** Declare the period-change exchange; with a queue name, also listen on that queue. */
  periodChanges?: { listenerQueue?: string };
}

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/**
 * Connects and asserts the topology. Fails if RabbitMQ cannot be reached now:
 * a process that never connected has nothing to recover, and its supervisor
 * is the one to retry. Once connected, rascal reconnects by itself with
 * exponential backoff, re-asserts the topology and resubscribes.
 */
export async function connectBroker(args: ConnectBrokerArgs = {}): Promise<BrokerConnection> {
  const options = resolveBrokerOptions(args.options);
  const log = args.logger ?? silentLogger;
  const { hostname, port } = new URL(options.url);
  const broker = await withTimeout(
    BrokerAsPromised.create(
      args.periodChanges
        ? addPeriodChanges(
            buildTopology(options),
            vhostFromUrl(options.url),
            options,
            args.periodChanges.listenerQueue,
          )
        : buildTopology(options),
    ),
    args.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    `could not connect to RabbitMQ at ${hostname}:${port || 5672}`,
  );
  let connected = true;
  let closing: Promise<void> | null = null;

  // Rascal re-emits connection errors on the broker; without a listener they
  // would crash the process instead of being recovered from.
  broker.on('error', (err, details) => {
    log.error(
      { ...describeError(err), vhost: details?.vhost },
      'broker connection error; rascal will reconnect',
    );
  });
  broker.on('disconnect', () => {
    connected = false;
    log.warn({ connection: options.connectionName }, 'broker disconnected');
  });
  broker.on('connect', () => {
    connected = true;
    log.info({ connection: options.connectionName }, 'broker reconnected');
  });
  broker.on('blocked', (reason) => {
    log.warn({ reason }, 'broker blocked the connection (resource alarm); publishing is paused');
  });
  broker.on('unblocked', () => log.info({}, 'broker unblocked the connection'));

  const [connection] = broker.getConnections();
  log.info({ broker: connection?.connectionUrl, queue: options.queue }, 'broker connected');

  return {
    broker,
    options,
    isConnected: () => connected && closing === null,
    close: () => {
      closing ??= broker.shutdown().finally(() => {
        connected = false;
      });
      return closing;
    },
  };
}
