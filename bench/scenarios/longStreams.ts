import type { BenchContext } from '../context';
import { cell, num } from '../report/format';
import type { ScenarioResult, Table } from '../report/types';
import { linearFit, summarize, type Summary } from '../stats';
import { withBenchDatabase } from '../support/database';
import { LongStream, type LateSample } from './longStreamWorkload';

const SINGLE_EVENTS_TIMED = 10;
const BUCKETS = [0, 100, 1_000, 10_000, 100_000, Infinity];

interface CheckpointRun {
  size: number;
  batchMsPerEvent: number;
  singleMs: number;
  lateMs: number;
  lateUsPerEventAfter: number;
}

interface LongRun {
  checkpoints: CheckpointRun[];
  finalLate: LateSample[];
}

const median = (values: number[]) => summarize(values).median;

async function oneRun(ctx: BenchContext, seed: number): Promise<LongRun> {
  const size = ctx.sizes.longStreams;
  return withBenchDatabase(ctx.adminUrl, 'long', async (database) => {
    const stream = new LongStream(database.db, seed);
    const checkpoints: CheckpointRun[] = [];
    let finalLate: LateSample[] = [];
    for (const [index, checkpoint] of size.checkpoints.entries()) {
      await stream.growTo(checkpoint, size.batchSize);
      const batches: number[] = [];
      for (let b = 0; b < size.timedBatches; b++)
        batches.push((await stream.appendInOrder(size.batchSize)) / size.batchSize);
      const singles: number[] = [];
      for (let s = 0; s < SINGLE_EVENTS_TIMED; s++) singles.push(await stream.appendInOrder(1));
      const last = index === size.checkpoints.length - 1;
      const late: LateSample[] = [];
      for (let l = 0; l < (last ? size.lateAtEnd : size.lateAtCheckpoint); l++)
        late.push(await stream.appendLate());
      ctx.log(`long streams: ${num(checkpoint)} events done`);
      checkpoints.push({
        size: checkpoint,
        batchMsPerEvent: median(batches),
        singleMs: median(singles),
        lateMs: median(late.map((s) => s.ms)),
        lateUsPerEventAfter: linearFit(late.map((s) => ({ x: s.after, y: s.ms }))).slope * 1000,
      });
      if (last) finalLate = late;
    }
    return { checkpoints, finalLate };
  });
}

function bucketLabel(i: number): string {
  const hi = BUCKETS[i + 1]!;
  return `${num(BUCKETS[i]!)}–${Number.isFinite(hi) ? num(hi - 1) : '…'}`;
}

function lateBucketTable(runs: LongRun[]): Table {
  const rows: string[][] = [];
  for (let i = 0; i < BUCKETS.length - 1; i++) {
    const inBucket = (s: LateSample) => s.after >= BUCKETS[i]! && s.after < BUCKETS[i + 1]!;
    const perRun = runs.map((r) => r.finalLate.filter(inBucket));
    const count = perRun.reduce((n, s) => n + s.length, 0);
    if (count === 0) continue;
    const ms = summarize(perRun.filter((s) => s.length > 0).map((s) => median(s.map((x) => x.ms))));
    const usPer = summarize(
      perRun
        .filter((s) => s.length > 0)
        .map((s) => median(s.map((x) => (x.ms * 1000) / Math.max(1, x.after)))),
    );
    rows.push([bucketLabel(i), num(count), cell(ms, 1), cell(usPer, 1)]);
  }
  return {
    caption: 'Late events at the final size, by how many events follow them in time (all runs):',
    headers: [
      'events after the late one',
      'late events',
      'ms per late event',
      'µs per event after',
    ],
    rows,
  };
}

/** Scenario 2: the cost per event as one stream grows, in order and late. */
export async function runLongStreams(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.longStreams;
  const runs: LongRun[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    ctx.log(`long streams: run ${i + 1}/${ctx.runs}`);
    runs.push(await oneRun(ctx, 17 + i));
  }
  const at = (k: number, pick: (c: CheckpointRun) => number): Summary =>
    summarize(runs.map((r) => pick(r.checkpoints[k]!)));
  const first = 0;
  const last = size.checkpoints.length - 1;
  const growth = summarize(
    runs.map((r) => r.checkpoints[last]!.batchMsPerEvent / r.checkpoints[first]!.batchMsPerEvent),
  );
  const fits = runs.map((r) => linearFit(r.finalLate.map((s) => ({ x: s.after, y: s.ms }))));
  const r2 = summarize(fits.map((f) => f.r2));
  const slope = summarize(fits.map((f) => f.slope * 1000));
  const intercept = summarize(fits.map((f) => f.intercept));

  return {
    section: {
      title: '2. Long streams: cost per event as one stream grows',
      intro: [
        `One patient/medication stream written through the write path (\`ingest\`, in the bench ` +
          `process, MariaDB), grown in order in calls of ${size.batchSize} events to ` +
          `${size.checkpoints.map((c) => num(c)).join(', ')} events. At each size: ` +
          `${size.timedBatches} more in-order calls of ${size.batchSize} are timed (ms per event), ` +
          `then ${SINGLE_EVENTS_TIMED} in-order calls of one event, then single late events, each ` +
          'alone in its call, at a uniformly random point of the stream’s past ' +
          `(${size.lateAtCheckpoint} at each size, ${num(size.lateAtEnd)} at the final size).`,
      ],
      tables: [
        {
          headers: [
            'stream size',
            'in order, batch of 250: ms per event',
            'in order, one event per call: ms',
            'late event: ms (median)',
            'late: µs per event after it (slope)',
          ],
          rows: size.checkpoints.map((c, k) => [
            num(c),
            cell(
              at(k, (x) => x.batchMsPerEvent),
              3,
            ),
            cell(
              at(k, (x) => x.singleMs),
              1,
            ),
            cell(
              at(k, (x) => x.lateMs),
              1,
            ),
            cell(
              at(k, (x) => x.lateUsPerEventAfter),
              1,
            ),
          ]),
        },
        lateBucketTable(runs),
        {
          caption: `Least-squares fit of late-event cost against events after it, at ${num(size.checkpoints[last]!)}:`,
          headers: ['fixed part (ms)', 'µs per event after', 'R²'],
          rows: [[cell(intercept, 1), cell(slope, 2), cell(r2, 3)]],
        },
      ],
    },
    targets: [
      {
        target: `in-order ingest cost per event at ${num(size.checkpoints[last]!)} within 1.5× of at ${num(size.checkpoints[first]!)}`,
        measured: `${num(growth.median, 2)}×`,
        met: growth.median <= 1.5,
      },
      {
        target: 'a late event costs in proportion to the events after it',
        measured: `${num(intercept.median, 1)} ms + ${num(slope.median, 2)} µs × events after (R² ${num(r2.median, 2)})`,
        met: slope.median > 0 && r2.median >= 0.7,
      },
    ],
  };
}
