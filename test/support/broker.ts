/**
 * Helpers for tests that talk to a real RabbitMQ: reachability, unique
 * names per test, raw publishing and queue inspection with plain amqplib
 * (independent of the code under test), and cleanup. Not used in production.
 */
import { spawnSync } from 'node:child_process';
import { inject } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DEVICE_SAMPLE_PATH } from './deviceSample';
import { TEST_AMQP_URL } from './services';
import { withAmqpChannel } from './amqpChannel';
import { connect, type Channel, type ConfirmChannel, type GetMessage } from 'amqplib';
import type { IncomingItem, WriteResult } from '../../src/store/types';
import type { Logger } from '../../src/broker/logger';
import { deleteDeclaredTopology } from '../../src/broker/deleteTopology';
import { resolveBrokerOptions, type BrokerOptions } from '../../src/broker/options';

export const RABBIT_URL = TEST_AMQP_URL;

/**
 * Whether broker suites run: the global setup probed RabbitMQ once (and
 * failed the run under CI=true if it was missing).
 */
export function shouldRunBrokerTests(): boolean {
  return inject('amqpAvailable');
}

/** Names no other test (or parallel run) uses, and fast retry timings. */
export function uniqueBrokerOptions(
  label: string,
  overrides: Partial<BrokerOptions> = {},
): BrokerOptions {
  const id = `test.${label}.${randomBytes(4).toString('hex')}`;
  return resolveBrokerOptions({
    url: RABBIT_URL,
    connectionName: id,
    exchange: `${id}.events`,
    queue: `${id}.queue`,
    retryInitialMs: 20,
    retryMaxMs: 100,
    reconnectMinMs: 100,
    reconnectMaxMs: 500,
    shutdownTimeoutMs: 5_000,
    ...overrides,
  });
}

/** Runs `fn` on a fresh amqplib channel of its own connection. */
export function withChannel<T>(fn: (channel: Channel) => Promise<T>, url = RABBIT_URL): Promise<T> {
  return withAmqpChannel(url, fn);
}

/** Messages ready for delivery in `queue` (not those delivered and unacknowledged). */
export function readyCount(queue: string): Promise<number> {
  return withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
}

/** Takes every ready message off `queue` (acknowledging them) and returns them. */
export function drainQueue(queue: string): Promise<GetMessage[]> {
  return withChannel(async (channel) => {
    const messages: GetMessage[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (message === false) return messages;
      messages.push(message);
    }
  });
}

/** Publishes exact bytes, persistent and confirmed, bypassing the code under test. */
export async function publishRaw(
  options: Pick<BrokerOptions, 'exchange' | 'routingKey'>,
  bodies: readonly (Buffer | string)[],
): Promise<void> {
  const connection = await connect(RABBIT_URL);
  try {
    const channel: ConfirmChannel = await connection.createConfirmChannel();
    for (const body of bodies) {
      channel.publish(options.exchange, options.routingKey, Buffer.from(body), {
        persistent: true,
      });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** Deletes the exchanges and queues of a test's topology. */
export function deleteTopology(options: BrokerOptions): Promise<void> {
  return withChannel((channel) => deleteDeclaredTopology(channel, options));
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 15_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface LogEntry {
  level: keyof Logger;
  fields: object;
  message: string;
}

/** A logger that remembers what it was told, for asserting on what an operator would see. */
export function memoryLogger(): Logger & {
  entries: LogEntry[];
  has(level: keyof Logger, text: string): boolean;
} {
  const entries: LogEntry[] = [];
  const at =
    (level: keyof Logger) =>
    (fields: object, message: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    has: (level, text) => entries.some((e) => e.level === level && e.message.includes(text)),
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface RecordingWrite {
  write: (items: readonly IncomingItem[]) => Promise<WriteResult>;
  /** Every batch the consumer handed over, in order. */
  batches: IncomingItem[][];
  /** Items across all batches. */
  readonly itemCount: number;
}

/**
 * A stand-in for the store's write path: records each batch, then does what
 * `behave` says (by default succeeds, counting everything as accepted).
 */
export function recordingWrite(
  behave: (batch: readonly IncomingItem[], call: number) => Promise<void> = () => Promise.resolve(),
): RecordingWrite {
  const batches: IncomingItem[][] = [];
  return {
    batches,
    get itemCount() {
      return batches.reduce((n, b) => n + b.length, 0);
    },
    write: async (items) => {
      batches.push([...items]);
      await behave(items, batches.length);
      return { accepted: items.length, duplicates: 0, rejected: [] };
    },
  };
}

/**
 * Force-closes, from the broker's side, every connection whose client named
 * itself `connectionName`, as a broker restart or a network cut would.
 * Needs `rabbitmqctl` on this machine (it is where RabbitMQ runs here).
 */
export function closeConnectionsNamed(connectionName: string): number {
  // The plain table prints pids in the form close_connection takes (the JSON one does not).
  const listed = spawnSync(
    'rabbitmqctl',
    ['list_connections', 'pid', 'client_properties', '--quiet', '--no-table-headers'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (listed.status !== 0) throw new Error(`rabbitmqctl list_connections failed: ${listed.stderr}`);
  const pids = listed.stdout
    .split('\n')
    .filter((line) => line.includes(`"${connectionName}"`))
    .map((line) => line.split('\t')[0] as string);
  for (const pid of pids) {
    const closed = spawnSync('rabbitmqctl', ['close_connection', pid, 'test: simulated outage'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (closed.status !== 0)
      throw new Error(`rabbitmqctl close_connection failed: ${closed.stderr}`);
  }
  return pids.length;
}

/** The device sample of the specification. */
export function deviceSamplePath(): string {
  return DEVICE_SAMPLE_PATH;
}
