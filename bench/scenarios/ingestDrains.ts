import type { Knex } from 'knex';
import { startConsumer, type WriteBatch } from '../../src/broker/consumer';
import type { BrokerOptions } from '../../src/broker/options';
import { storeWrite } from '../../src/broker/storeWrite';
import { publishConfirmed } from '../baselines/confirmPublisher';
import type { BenchContext } from '../context';
import { withTopology } from '../support/broker';
import { cpuMeter, type CpuSplit } from '../support/cpu';
import { withBenchDatabase } from '../support/database';

/** Counts the items a write was handed; resolves `done` once `expected` were written. */
function countingWrite(
  inner: WriteBatch,
  expected: number,
): { write: WriteBatch; done: Promise<void> } {
  let written = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  return {
    done,
    write: async (items) => {
      const result = await inner(items);
      written += items.length;
      if (written >= expected) resolve();
      return result;
    },
  };
}

async function checkStored(db: Knex, distinctEvents: number): Promise<void> {
  const [events] = await db('events').count({ n: '*' });
  const [periods] = await db('periods').count({ n: '*' });
  if (Number(events?.n) !== distinctEvents)
    throw new Error(`ingest stored ${String(events?.n)} events, expected ${distinctEvents}`);
  if (Number(periods?.n) === 0) throw new Error('ingest stored no periods');
}

/** Publishes `bodies` to a fresh queue, then times `startConsumer` with `write` until all were written. */
async function drain(
  ctx: BenchContext,
  label: string,
  bodies: readonly Buffer[],
  write: WriteBatch,
  overrides: Partial<BrokerOptions>,
): Promise<{ ms: number; cpu: CpuSplit }> {
  return withTopology(
    ctx.amqpUrl,
    label,
    async (topology) => {
      await publishConfirmed(topology, bodies);
      const counting = countingWrite(write, bodies.length);
      const meter = cpuMeter();
      const started = performance.now();
      const consumer = await startConsumer({ write: counting.write, options: topology });
      await counting.done;
      const ms = performance.now() - started;
      const cpu = meter.stop();
      await consumer.stop();
      return { ms, cpu };
    },
    overrides,
  );
}

/** The service's consumer and write path into a fresh MariaDB database; checks what was stored. */
export async function drainIntoService(
  ctx: BenchContext,
  bodies: readonly Buffer[],
  distinctEvents: number,
  overrides: Partial<BrokerOptions> = {},
): Promise<{ ms: number; cpu: CpuSplit }> {
  return withBenchDatabase(ctx.adminUrl, 'ingest', async (database) => {
    const result = await drain(ctx, 'ingest', bodies, storeWrite(database.db), overrides);
    await checkStored(database.db, distinctEvents);
    return result;
  });
}

/**
 * The service's consumer with a write that stores nothing: what the broker
 * client, decoding, batching and per-message acknowledgements cost on their own.
 */
export async function drainWithNoOpWrite(
  ctx: BenchContext,
  bodies: readonly Buffer[],
): Promise<number> {
  const noOp: WriteBatch = (items) =>
    Promise.resolve({ accepted: items.length, duplicates: 0, rejected: [] });
  return (await drain(ctx, 'ingest-noop', bodies, noOp, {})).ms;
}
