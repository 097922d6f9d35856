import type { ConfirmChannel } from 'amqplib';
import type { BrokerOptions } from '../../src/broker/options';
import type { BenchContext } from '../context';
import { cell, num } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { quantile, summarize } from '../stats';
import { connectAmqp } from '../support/amqpConnection';
import { readyMessages, withTopology } from '../support/broker';
import { withBenchDatabase } from '../support/database';
import { sampleRedoLogFill } from '../support/redoLogFill';
import { startService } from '../support/service';
import { brokerOnlyLatencies } from './lagBrokerBaseline';
import { waitUntilVisible } from './lagProbe';
import { lagIntro } from './lagIntro';
import { atSteadyRate, lagMessages } from './lagWorkload';

const POLL_INTERVAL_MS = 2;
const PROBE_TIMEOUT_MS = 30_000;

interface LagRun {
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

async function oneRun(ctx: BenchContext): Promise<LagRun> {
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

function redoLogFillCell(runs: readonly LagRun[]): string {
  const fills = runs.map((r) => r.redoLogFill);
  if (fills.some((f) => f === undefined)) return '—';
  return cell(summarize(fills.map((f) => f! * 100)));
}

/** Scenario 6: from publish to the period visible through the API, at a steady rate. */
export async function runLag(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.lag;
  const runs: LagRun[] = [];
  const brokerRuns: number[][] = [];
  for (let i = 0; i < ctx.runs; i++) {
    // Each run writes 120,000 events; the next one must not be timed while they are flushed.
    if (i > 0) await ctx.quiet(`lag run ${i + 1}`);
    ctx.log(`lag: run ${i + 1}/${ctx.runs}, broker alone`);
    brokerRuns.push(await brokerOnlyLatencies(ctx));
    ctx.log(`lag: run ${i + 1}/${ctx.runs}, service`);
    runs.push(await oneRun(ctx));
  }
  const broker = (q: number) => summarize(brokerRuns.map((l) => quantile(l, q)));
  const p = (q: number) => summarize(runs.map((r) => quantile(r.lags, q)));
  const max = summarize(runs.map((r) => Math.max(...r.lags)));
  const warmUpP50 = summarize(runs.map((r) => quantile(r.warmUpLags, 0.5)));
  const warmUpMax = summarize(runs.map((r) => Math.max(...r.warmUpLags)));
  const lost = runs.reduce((n, r) => n + r.lags.filter((l) => l >= PROBE_TIMEOUT_MS).length, 0);
  const p99 = p(0.99);
  return {
    section: {
      title: '6. Lag: from publish to the period visible through the API',
      intro: lagIntro(size, POLL_INTERVAL_MS),
      tables: [
        {
          headers: [
            'published events/s',
            'probes',
            'lag p50 ms',
            'lag p99 ms',
            'lag max ms',
            'queue backlog at end',
            'redo log fill, max %',
            'warm-up lag p50 ms',
            'warm-up lag max ms',
          ],
          rows: [
            [
              cell(summarize(runs.map((r) => r.publishedPerS))),
              num(summarize(runs.map((r) => r.lags.length)).median),
              cell(p(0.5), 1),
              cell(p99, 1),
              cell(max, 1),
              cell(summarize(runs.map((r) => r.backlogAtEnd))),
              redoLogFillCell(runs),
              cell(warmUpP50, 1),
              cell(warmUpMax, 1),
            ],
          ],
        },
        {
          headers: ['what', 'p50 ms', 'p99 ms', 'max ms'],
          rows: [
            [
              'service: publish → period visible through the API',
              cell(p(0.5), 1),
              cell(p99, 1),
              cell(max, 1),
            ],
            [
              'baseline: broker alone, publish → delivered to a bare consumer',
              cell(broker(0.5), 1),
              cell(broker(0.99), 1),
              cell(summarize(brokerRuns.map((l) => Math.max(...l))), 1),
            ],
          ],
        },
      ],
      notes:
        lost > 0
          ? [
              `${lost} probes were not visible within ${PROBE_TIMEOUT_MS / 1000} s; they count as ` +
                `${num(PROBE_TIMEOUT_MS)} ms, so the quantiles above are lower bounds.`,
            ]
          : [],
    },
    targets: [
      {
        target: `lag p99 under 100 ms at ${num(size.ratePerS)} events/s`,
        measured: `${num(p99.median, 1)} ms (the broker alone: ${num(broker(0.99).median, 1)} ms)`,
        met: p99.median < 100,
      },
    ],
  };
}
