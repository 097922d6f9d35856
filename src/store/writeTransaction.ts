import type { Knex } from 'knex';
import { dialectOf } from './db';

const MAX_ATTEMPTS = 8;

/**
 * Errors after which the whole transaction can simply run again: a deadlock or
 * lock timeout between writers of the same streams, a concurrent append of the
 * same dedupe key, or SQLite's busy writer lock.
 */
function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; errno?: number } | null;
  if (!e) return false;
  return (
    e.code === 'ER_LOCK_DEADLOCK' ||
    e.code === 'ER_LOCK_WAIT_TIMEOUT' ||
    e.code === 'ER_DUP_ENTRY' ||
    e.code === 'SQLITE_BUSY' ||
    e.errno === 1213 ||
    e.errno === 1205
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` in one transaction, retrying it whole on the transient conflicts above. */
export async function withWriteTransaction<T>(
  db: Knex,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  // READ COMMITTED on MySQL: after taking a stream lock, a writer must see what
  // the writer before it committed, and it takes fewer gap locks.
  const config = dialectOf(db) === 'mysql' ? { isolationLevel: 'read committed' as const } : {};
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work, config);
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.min(1000, 5 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
