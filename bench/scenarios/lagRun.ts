import type { ConfirmChannel } from 'amqplib';
import type { BrokerOptions } from '../../src/broker/options';
import type { BenchContext } from '../context';
import { connectAmqp } from '../support/amqpConnection';
import { readyMessages, withTopology } from '../support/broker';
import { withBenchDatabase } from '../support/database';
import { sampleRedoLogFill } from '../support/redoLogFill';
import { startService } from '../support/service';
import { waitUntilVisible } from './lagProbe';
import { atSteadyRate, lagMessages } from './lagWorkload';

export const POLL_INTERVAL_MS = 2;
export const PROBE_TIMEOUT_MS = 30_000;

export interface LagRun {
  /** Probes published during the measured period. */
  lags: number[];
  /** Probes published during the warm-up (a fresh process: JIT, pools, caches). */
  warmUpLags: number[];
  publishedPerS: number;
  backlogAtEnd: number;
  /** Highest redo log fill during the run (0–1), where the server reports it. */
  redoLogFill: number | undefined;
}

/**
 * Publishes the lag workload at a steady rate, warm-up first; the visibility
 * of every probe is then polled.
 */
async function publishSteadily(
  ctx: BenchContext,
  channel: ConfirmChannel,
  topology: BrokerOptions,
  baseUrl: string,
): Promise<{
  lags: Promise<number>[];
  warmUpLags: Promise<number>[];
  sent: number;
  elapsedMs: number;
}> {
  const { ratePerS, durationS, warmUpS } = ctx.sizes.lag;
  const warmUp = ratePerS * warmUpS;
  const total = warmUp + ratePerS * durationS;
  const lags: Promise<number>[] = [];
  const warmUpLags: Promise<number>[] = [];
  let measuredFrom = performance.now();
  await atSteadyRate(ratePerS, lagMessages(ctx, total), (message, index) => {
    if (index === warmUp) measuredFrom = performance.now();
    const publishedAt = performance.now();
    channel.publish(topology.exchange, topology.routingKey, message.body, {
      persistent: true,
      contentType: 'application/json',
    });
    if (message.probeUpId === undefined) return;
    (index < warmUp ? warmUpLags : lags).push(
      waitUntilVisible({
        baseUrl,
        upId: message.probeUpId,
        publishedAt,
        timeoutMs: PROBE_TIMEOUT_MS,
        pollIntervalMs: POLL_INTERVAL_MS,
      }),
    );
  });
  await channel.waitForConfirms();
  return {
    lags,
    warmUpLags,
    sent: total - warmUp,
    elapsedMs: performance.now() - measuredFrom,
  };
}

/** One run of the service: a fresh database, topology and process. */
export async function serviceLagRun(ctx: BenchContext): Promise<LagRun> {
  return withBenchDatabase(ctx.adminUrl, 'lag', (database) =>
    withTopology(ctx.amqpUrl, 'lag', async (topology) => {
      const service = await startService({
        role: 'all',
        databaseUrl: database.url,
        env: {
          AMQP_URL: ctx.amqpUrl,
          AMQP_EXCHANGE: topology.exchange,
          AMQP_QUEUE: topology.queue,
        },
      });
      const { connection, lost, close } = await connectAmqp(ctx.amqpUrl);
      const redoLog = sampleRedoLogFill(ctx.adminUrl);
      try {
        const channel = await connection.createConfirmChannel();
        const published = await Promise.race([
          publishSteadily(ctx, channel, topology, service.baseUrl),
          lost,
        ]);
        // A probe never seen counts as the timeout: the quantiles are then lower bounds.
        const settle = async (probes: Promise<number>[]) =>
          (await Promise.all(probes)).map((l) => Math.min(l, PROBE_TIMEOUT_MS));
        return {
          lags: await settle(published.lags),
          warmUpLags: await settle(published.warmUpLags),
          publishedPerS: (published.sent * 1000) / published.elapsedMs,
          backlogAtEnd: await readyMessages(topology),
          redoLogFill: (await redoLog.stop()).maxShare,
        };
      } finally {
        await redoLog.stop();
        await close();
        await service.stop();
      }
    }),
  );
}
