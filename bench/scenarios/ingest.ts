import { drainWithBareConsumer } from '../baselines/ackConsumer';
import { bulkInsertRows } from '../baselines/bulkInsert';
import { publishConfirmed } from '../baselines/confirmPublisher';
import type { BenchContext } from '../context';
import { defaultBatching } from '../support/batching';
import { generateDeviceEvents } from '../generateLog';
import { cell, num, ratioCell } from '../report/format';
import type { ScenarioResult } from '../report/types';
import { ratios, summarize } from '../stats';
import { withTopology } from '../support/broker';
import type { CpuSplit } from '../support/cpu';
import { withBenchDatabase } from '../support/database';
import { drainIntoService, drainWithNoOpWrite } from './ingestDrains';
import { eventLogRow, messageBodies, type EventLogRow } from '../support/eventRows';

interface IngestRun {
  serviceMs: number;
  oneInFlightMs: number;
  noOpMs: number;
  ackMs: number;
  perMessageAckMs: number;
  insertMs: number;
  cpu: CpuSplit;
}

async function oneRun(
  ctx: BenchContext,
  bodies: readonly Buffer[],
  rows: readonly EventLogRow[],
  distinctEvents: number,
): Promise<IngestRun> {
  const total = bodies.length;
  const ackMs = await withTopology(ctx.amqpUrl, 'ingest-ack', async (topology) => {
    await publishConfirmed(topology, bodies);
    return (
      await drainWithBareConsumer({ url: ctx.amqpUrl, queue: topology.queue, expected: total })
    ).elapsedMs;
  });
  const perMessageAckMs = await withTopology(ctx.amqpUrl, 'ingest-ack1', async (topology) => {
    await publishConfirmed(topology, bodies);
    return (
      await drainWithBareConsumer({
        url: ctx.amqpUrl,
        queue: topology.queue,
        expected: total,
        ackEvery: 1,
      })
    ).elapsedMs;
  });
  const service = await drainIntoService(ctx, bodies, distinctEvents);
  const oneInFlight = await drainIntoService(ctx, bodies, distinctEvents, {
    concurrentBatches: 1,
    prefetch: 500,
  });
  const noOpMs = await drainWithNoOpWrite(ctx, bodies);
  const insertMs = await withBenchDatabase(ctx.adminUrl, 'ingest_insert', async (database) => {
    const { elapsedMs } = await bulkInsertRows(database.db, rows);
    return elapsedMs;
  });
  return {
    serviceMs: service.ms,
    cpu: service.cpu,
    oneInFlightMs: oneInFlight.ms,
    noOpMs,
    ackMs,
    perMessageAckMs,
    insertMs,
  };
}

/** Scenario 1: a pre-filled queue drained by one consumer into MariaDB, against bare baselines. */
export async function runIngest(ctx: BenchContext): Promise<ScenarioResult> {
  const size = ctx.sizes.ingest;
  const events = [...generateDeviceEvents({ ...size, seed: 1 })];
  const bodies = messageBodies(events);
  const receivedAt = Date.now();
  const rows = events.map((e) => eventLogRow(e, receivedAt, 'amqp'));
  const distinctEvents = new Set(rows.map((r) => r.dedupe_key)).size;

  const rate = (ms: number) => (bodies.length * 1000) / ms;
  const runs: IngestRun[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    // A run writes and drops three databases; the next must not be timed while they are cleaned up.
    if (i > 0) await ctx.quiet(`ingest run ${i + 1}`);
    ctx.log(`ingest: run ${i + 1}/${ctx.runs}`);
    const run = await oneRun(ctx, bodies, rows, distinctEvents);
    ctx.log(
      `ingest: service ${Math.round(rate(run.serviceMs))} events/s, ` +
        `1 in flight ${Math.round(rate(run.oneInFlightMs))}, ` +
        `MariaDB CPU ${Math.round((run.cpu.mariadb * 1e6) / bodies.length)} ms per 1,000 events`,
    );
    runs.push(run);
  }
  const service = runs.map((r) => rate(r.serviceMs));
  const oneInFlight = runs.map((r) => rate(r.oneInFlightMs));
  const noOp = runs.map((r) => rate(r.noOpMs));
  const perMessageAck = runs.map((r) => rate(r.perMessageAckMs));
  const ack = runs.map((r) => rate(r.ackMs));
  const insert = runs.map((r) => rate(r.insertMs));
  const ofAck = summarize(ratios(service, ack));
  const ofInsert = summarize(ratios(service, insert));
  const perThousand = (pick: (c: CpuSplit) => number) =>
    summarize(runs.map((r) => (pick(r.cpu) * 1000 * 1000) / bodies.length));

  return {
    section: {
      title: '1. Ingest: a pre-filled queue drained into MariaDB',
      intro: [
        `${num(bodies.length)} messages (${num(distinctEvents)} distinct valid events; ` +
          `${num(size.streams)} patient/medication streams, mostly in order, ` +
          `${size.lateShare * 100}% late, ${size.duplicateShare * 100}% duplicates, from ` +
          '`generateDeviceEvents`) are published to a fresh quorum queue declared exactly as the ' +
          'service declares it, then drained by one consumer: `startConsumer` + `storeWrite` ' +
          '(the write path, periods kept current in the same transaction), in the bench process, ' +
          'default options (' +
          `${defaultBatching()}` +
          '), into a fresh MariaDB database. ' +
          'Timed from `startConsumer` until the last batch committed.',
        'Baselines in the same run: a bare amqplib consumer (prefetch 500, one multiple-ack every ' +
          '250 messages) that only acknowledges, on an identical queue with the same messages; ' +
          'and plain knex multi-row INSERTs (250 rows a statement, duplicates ignored) of the rows ' +
          'the write path appends, into a fresh database with the same schema.',
        'More rows split the gap: the same drain with one batch at a time ' +
          '(`concurrentBatches: 1`, prefetch 500), and the service’s consumer ' +
          '(rascal, decoding, batching, one acknowledgement per message) with a write that ' +
          'stores nothing, which bounds from above what any write path behind this consumer could reach; ' +
          'and the bare consumer acknowledging every message on its own, as rascal does (its API ' +
          'acknowledges one message or everything unacknowledged on the channel, never “up to this one”).',
      ],
      tables: [
        {
          headers: ['what', 'events/s', 'service ingest as a share of it'],
          rows: [
            ['service: consumer → write path → MariaDB', cell(summarize(service)), '—'],
            [
              'service with 1 batch in flight (`AMQP_CONCURRENT_BATCHES=1 AMQP_PREFETCH=500`)',
              cell(summarize(oneInFlight)),
              ratioCell(summarize(ratios(service, oneInFlight))),
            ],
            [
              'the service’s consumer with a write that stores nothing',
              cell(summarize(noOp)),
              ratioCell(summarize(ratios(service, noOp))),
            ],
            ['baseline: bare amqplib consumer, ack only', cell(summarize(ack)), ratioCell(ofAck)],
            [
              'bare amqplib consumer, one ack per message (as rascal acknowledges)',
              cell(summarize(perMessageAck)),
              ratioCell(summarize(ratios(service, perMessageAck))),
            ],
            ['baseline: bare knex batched INSERT', cell(summarize(insert)), ratioCell(ofInsert)],
          ],
        },
        {
          caption:
            'CPU time per 1,000 events while the service drained the queue (MariaDB and ' +
            'RabbitMQ are shared with other work on this machine, so their figures are upper bounds):',
          headers: ['process', 'CPU ms per 1,000 events'],
          rows: [
            ['bench process (consumer + write path)', cell(perThousand((c) => c.benchProcess))],
            ['MariaDB (mariadbd)', cell(perThousand((c) => c.mariadb))],
            ['RabbitMQ (beam.smp)', cell(perThousand((c) => c.rabbitmq))],
          ],
        },
      ],
    },
    targets: [
      {
        target: 'ingest ≥ 50% of the bare acknowledging consumer',
        measured: `${num(ofAck.median * 100, 1)}% (${num(summarize(service).median)} vs ${num(summarize(ack).median)} events/s)`,
        met: ofAck.median >= 0.5,
      },
    ],
  };
}
