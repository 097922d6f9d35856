import type { Knex } from 'knex';
import { appendEvents } from './appendEvents';
import { classifyItems } from './classifyItems';
import { lockStreams } from './lockStreams';
import { projectStoredStreams } from './projectStoredStreams';
import { recordRejections } from './recordRejections';
import { distinctStreamsInLockOrder } from './streamKeys';
import type { IncomingItem, Source, WriteResult } from './types';
import { withWriteTransaction } from './writeTransaction';

export interface IngestOptions {
  source: Source;
  /** Defaults to now; tests pin it. Epoch ms. */
  receivedAt?: number;
}

/**
 * The one write path of every ingest route: validate, append idempotently,
 * lock and re-project every affected stream, record rejections; all in one
 * transaction, so a caller that sees it resolve may acknowledge its input.
 */
export async function ingest(
  db: Knex,
  items: readonly IncomingItem[],
  options: IngestOptions,
): Promise<WriteResult> {
  const receivedAt = options.receivedAt ?? Date.now();
  const context = { source: options.source, receivedAt };
  const { accepted, rejected } = classifyItems(items);

  return withWriteTransaction(db, async (trx) => {
    await lockStreams(trx, distinctStreamsInLockOrder(accepted.map((a) => a.event)));
    const { appended, duplicates, conflicts } = await appendEvents(trx, accepted, context);
    await projectStoredStreams(trx, distinctStreamsInLockOrder(appended), Date.now());
    const allRejected = [...rejected, ...conflicts].sort((a, b) => a.index - b.index);
    await recordRejections(trx, allRejected, context);
    return {
      accepted: appended.length,
      duplicates,
      rejected: allRejected.map((r) => ({ index: r.index, ...r.rejection })),
    };
  });
}
