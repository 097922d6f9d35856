import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { createDb, migrateLatest } from '../../src/store/db';

/** A fresh, migrated MariaDB database of one scenario; `drop()` removes it. */
export interface BenchDatabase {
  name: string;
  /** DATABASE_URL of this database, for child processes. */
  url: string;
  /** The service's own knex instance for it (createDb: same pool configuration). */
  db: Knex;
  drop(): Promise<void>;
}

/** One connection to the server as the bench's admin user (no database), for statements about the server. */
export function adminConnection(adminUrl: string): Knex {
  return knex({ client: 'mysql2', connection: adminUrl, pool: { min: 0, max: 1 } });
}

async function withAdmin<T>(adminUrl: string, work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = adminConnection(adminUrl);
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

/** Creates `mp_bench_<label>_<random>` with the service's migrations applied. */
export async function createBenchDatabase(adminUrl: string, label: string): Promise<BenchDatabase> {
  const name = `mp_bench_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) =>
    admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
  );
  const url = `${adminUrl.replace(/\/$/, '')}/${name}`;
  const db = createDb(url);
  await migrateLatest(db);
  let dropped: Promise<void> | null = null;
  return {
    name,
    url,
    db,
    drop() {
      dropped ??= (async () => {
        await db.destroy();
        await withAdmin(adminUrl, (admin) => admin.raw(`DROP DATABASE IF EXISTS \`${name}\``));
      })();
      return dropped;
    },
  };
}

/** Runs `work` on a fresh database and drops it afterwards, whatever happens. */
export async function withBenchDatabase<T>(
  adminUrl: string,
  label: string,
  work: (database: BenchDatabase) => Promise<T>,
): Promise<T> {
  const database = await createBenchDatabase(adminUrl, label);
  try {
    return await work(database);
  } finally {
    await database.drop();
  }
}

/** Empties the derived tables (not the append-only log), so a rebuild starts from nothing. */
export async function clearReadModel(db: Knex): Promise<void> {
  for (const table of [
    'periods',
    'anomalies',
    'stream_cancellations',
    'streams',
    'patient_period_lists',
  ]) {
    await db(table).truncate();
  }
}
