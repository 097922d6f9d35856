import { existsSync } from 'node:fs';
import type { BenchContext } from '../context';
import { cell, num } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { summarize } from '../stats';
import { runToCompletion, tsxArgs } from '../support/children';
import { clearReadModel } from '../support/database';
import type { ReadLog } from '../support/readLog';

const TIME = '/usr/bin/time';

interface ReplayRun {
  events: number;
  eventsPerS: number;
  seconds: number;
  peakRssMb: number;
}

/** `rebuilt: S streams, E events, P periods, A anomalies in T s (R events/s)` */
function parseSummary(stdout: string): { events: number; seconds: number } {
  const match = /rebuilt: \d+ streams, (\d+) events, .* in ([\d.]+) s/.exec(stdout);
  if (!match) throw new Error(`replay printed no summary:\n${stdout}`);
  return { events: Number(match[1]), seconds: Number(match[2]) };
}

/** GNU time -v: "Maximum resident set size (kbytes): N". */
function parsePeakRssMb(stderr: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** One full rebuild by the replay CLI, in a child process, from an empty read model. */
async function replayOnce(log: ReadLog): Promise<ReplayRun> {
  await clearReadModel(log.database.db);
  const node = [process.execPath, ...tsxArgs('src/cli/replay.ts', ['--no-progress'])];
  const withTime = existsSync(TIME);
  const [command, ...args] = withTime ? [TIME, '-v', ...node] : node;
  const run = await runToCompletion(command!, args, {
    DATABASE_URL: log.database.url,
    LOG_LEVEL: 'warn',
  });
  if (run.code !== 0) throw new Error(`replay exited with ${run.code}:\n${run.stderr}`);
  const { events, seconds } = parseSummary(run.stdout);
  return { events, seconds, eventsPerS: events / seconds, peakRssMb: parsePeakRssMb(run.stderr) };
}

/** Scenario 5: a full rebuild of the read model from the log. Leaves the read model built. */
export async function runReplay(ctx: BenchContext, log: ReadLog): Promise<ScenarioResult> {
  const runs: ReplayRun[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    ctx.log(`replay: run ${i + 1}/${ctx.runs}`);
    runs.push(await replayOnce(log));
  }
  const rate = summarize(runs.map((r) => r.eventsPerS));
  const rss = summarize(runs.map((r) => r.peakRssMb));
  return {
    section: {
      title: '5. Replay: full rebuild of the read model',
      intro: [
        `\`node --import tsx src/cli/replay.ts --no-progress\` (mode rebuild, page size 500) in a ` +
          `child process under \`/usr/bin/time -v\`, on the ${num(log.events)}-event log of the read ` +
          'scenario, starting each run from an empty read model (periods, anomalies, ' +
          'stream_cancellations, streams and patient_period_lists truncated; the log untouched). ' +
          'Events/s is the CLI’s own ' +
          'summary (events replayed / its elapsed time); peak RSS is the child’s maximum resident ' +
          'set size, Node.js and tsx included.',
      ],
      tables: [
        {
          headers: ['events', 'seconds', 'events/s', 'peak RSS (MB)'],
          rows: [
            [
              num(runs[0]?.events ?? NaN),
              cell(summarize(runs.map((r) => r.seconds)), 1),
              cell(rate),
              cell(rss),
            ],
          ],
        },
      ],
    },
    targets: [
      {
        target: 'replay ≥ 50,000 events/s',
        measured: `${num(rate.median)} events/s`,
        met: rate.median >= 50_000,
      },
      {
        target: 'replay peak RSS under 250 MB',
        measured: `${num(rss.median)} MB`,
        met: rss.median < 250,
      },
    ],
  };
}
