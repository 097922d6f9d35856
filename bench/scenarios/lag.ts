import type { BenchContext } from '../context';
import { cell, num } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { quantile, summarize } from '../stats';
import { brokerOnlyLatencies } from './lagBrokerBaseline';
import { lagIntro } from './lagIntro';
import { POLL_INTERVAL_MS, PROBE_TIMEOUT_MS, serviceLagRun, type LagRun } from './lagRun';

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
    runs.push(await serviceLagRun(ctx));
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
