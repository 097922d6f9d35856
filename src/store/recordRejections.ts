import type { Knex } from 'knex';
import type { RejectedItemWithRaw } from './classifyItems';
import type { Source } from './types';
import { chunkBySize, PAYLOAD_BYTES_PER_INSERT, REJECTIONS_PER_INSERT } from './statementSizes';

/** Keeps every rejected item, raw bytes included, where an operator can list it. */
export async function recordRejections(
  trx: Knex | Knex.Transaction,
  rejected: readonly RejectedItemWithRaw[],
  context: { source: Source; receivedAt: number },
): Promise<void> {
  const rows = rejected.map((r) => ({
    received_at: context.receivedAt,
    source: context.source,
    reason: r.rejection.reason,
    field: r.rejection.field,
    message: r.rejection.message.slice(0, 500),
    raw_payload: r.raw,
  }));
  const parts = chunkBySize(
    rows,
    REJECTIONS_PER_INSERT,
    PAYLOAD_BYTES_PER_INSERT,
    (row) => row.raw_payload.length,
  );
  for (const part of parts) await trx('rejected_events').insert(part);
}
