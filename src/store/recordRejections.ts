import type { Knex } from 'knex';
import type { RejectedItemWithRaw } from './classifyItems';
import { chunk } from './streamKeys';
import type { Source } from './types';
import { REJECTIONS_PER_INSERT } from './statementSizes';

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
  // Small chunks: raw payloads can be large.
  for (const part of chunk(rows, REJECTIONS_PER_INSERT)) await trx('rejected_events').insert(part);
}
