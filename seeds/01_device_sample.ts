import type { Knex } from 'knex';
import { ingest } from '../src/store/writePath';
import deviceSample from './device-sample.json';

/**
 * Plays the real device file through the real write path, as a POST of the
 * file would, so a new user can query avi123 at once. Safe to run again:
 * every event is then a duplicate.
 */
export async function seed(knex: Knex): Promise<void> {
  const result = await ingest(
    knex,
    (deviceSample as unknown[]).map((payload) => ({ payload })),
    { source: 'http' },
  );
  console.log(
    `device sample: ${result.accepted} accepted, ${result.duplicates} duplicates, ${result.rejected.length} rejected`,
  );
}
