import os from 'node:os';
import path from 'node:path';
import { ConsumerPool } from './consumers';
import { createEnvironment } from './environment';
import { expectationOf } from './expected';
import { FAULT_KINDS, injectFaults, type FaultKind } from './faults';
import { playMessages, type PublishProgress } from './publisher';
import { vhostFromUrl } from '../broker/topology';
import { queueDepth } from './rabbitmqctl';
import { verify, type Verification } from './verify';
import { generateWorkload, seededRandom } from './workload';

export interface ChaosOptions {
  events: number;
  seconds: number;
  consumers: number;
  seed: number;
  keep: boolean;
  mysqlUrl: string;
  amqpUrl: string;
  /** Pause between faults, in ms. */
  faultIntervalMs: [number, number];
  /** How long a database cut lasts, in ms. */
  outageMs: [number, number];
  drainTimeoutMs: number;
}

export interface ChaosReport extends Verification, PublishProgress {
  duplicatesSent: number;
  lateSent: number;
  invalidSent: number;
  /** Valid messages that did not add an event: copies, and redeliveries. */
  duplicates: number;
  faults: Record<FaultKind, number>;
  consumerStarts: number;
  unexpectedExits: number;
  consumerExitCodes: (number | null)[];
  deadLettered: number;
  seconds: number;
  database: string;
  queue: string;
  logFile: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the queue holds nothing, ready or unacknowledged: every message was committed and acked. */
async function drain(
  queue: string,
  vhost: string,
  timeoutMs: number,
  say: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const depth = await queueDepth(queue, vhost);
    if (depth === 0) return;
    if (Date.now() > deadline) throw new Error(`queue ${queue} still holds ${depth} messages`);
    say(`draining: ${depth} messages in the queue`);
    await sleep(2_000);
  }
}

/** The whole run: environment, consumers, publishing under faults, drain, verification, teardown. */
export async function runChaos(o: ChaosOptions, say: (line: string) => void): Promise<ChaosReport> {
  const started = Date.now();
  const workload = generateWorkload({ events: o.events, seed: o.seed });
  const expected = expectationOf(workload.jsonPayloads);
  const random = seededRandom(o.seed ^ 0x5eed);
  const env = await createEnvironment({ mysqlUrl: o.mysqlUrl, amqpUrl: o.amqpUrl });
  const logFile = path.join(os.tmpdir(), `${env.id}.consumers.log`);
  say(`database ${env.databaseName}, queue ${env.broker.queue}, consumer logs in ${logFile}`);
  const pool = new ConsumerPool({
    size: o.consumers,
    logFile,
    env: {
      DATABASE_URL: env.proxiedDatabaseUrl,
      AMQP_URL: o.amqpUrl,
      AMQP_EXCHANGE: env.broker.exchange,
      AMQP_QUEUE: env.broker.queue,
      AMQP_CONNECTION_NAME: env.broker.connectionName,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
  });
  const progress: PublishProgress = { published: 0, confirmed: 0 };
  let consumerExitCodes: (number | null)[] = [];
  try {
    pool.start();
    const publishing = playMessages(workload.messages, {
      broker: { url: o.amqpUrl, exchange: env.broker.exchange, routingKey: env.broker.routingKey },
      ratePerSecond: o.events / o.seconds,
      connectionName: `${env.broker.connectionName}.publisher`,
      progress,
    });
    const ticker = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      say(`t=${s}s published ${progress.published}, confirmed ${progress.confirmed}`);
    }, 10_000);
    const faults = injectFaults(
      { consumers: pool, proxy: env.proxy, consumerConnectionName: env.broker.connectionName },
      {
        minIntervalMs: o.faultIntervalMs[0],
        maxIntervalMs: o.faultIntervalMs[1],
        minOutageMs: o.outageMs[0],
        maxOutageMs: o.outageMs[1],
      },
      random,
      publishing,
      (kind) => say(`fault: ${kind}`),
    );
    try {
      await publishing;
    } finally {
      // The fault loop ends with publishing; its last database cut is restored before it returns.
      await faults.catch(() => undefined);
      clearInterval(ticker);
    }
    const faultCounts = await faults;
    const vhost = vhostFromUrl(env.broker.url);
    await drain(env.broker.queue, vhost, o.drainTimeoutMs, say);
    consumerExitCodes = await pool.stop();
    const deadLettered = await queueDepth(env.broker.deadLetterQueue, vhost);
    const result = await verify(env.db, expected, workload.invalidBodies);
    const validSent = workload.messages.length - workload.invalidBodies.length;
    return {
      ...result,
      ...progress,
      duplicatesSent: workload.copies,
      lateSent: workload.late,
      invalidSent: workload.invalidBodies.length,
      duplicates: validSent - result.accepted,
      faults: faultCounts,
      consumerStarts: pool.starts,
      unexpectedExits: pool.unexpectedExits,
      consumerExitCodes,
      deadLettered,
      seconds: Math.round((Date.now() - started) / 1000),
      database: env.databaseName,
      queue: env.broker.queue,
      logFile,
    };
  } finally {
    if (consumerExitCodes.length === 0) await pool.stop();
    await env.teardown(o.keep);
  }
}

export { FAULT_KINDS };
