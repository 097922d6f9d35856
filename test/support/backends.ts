import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { inject } from 'vitest';
import { createDb, migrateLatest } from '../../src/store/db';
import { TEST_MYSQL_URL } from './services';

export interface TestDatabase {
  db: Knex;
  /** The DATABASE_URL of this database, for child processes. */
  url: string;
  destroy(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'mariadb';
  available: boolean;
  /** A fresh, migrated database of its own. */
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  available: true,
  async create({ migrate = true } = {}) {
    const url = 'sqlite::memory:';
    const db = createDb(url);
    if (migrate) await migrateLatest(db);
    return { db, url, destroy: () => db.destroy() };
  },
};

/** Runs admin statements (CREATE/DROP DATABASE) on the test server. */
async function withAdmin<T>(work: (admin: Knex) => Promise<T>): Promise<T> {
  const admin = knex({ client: 'mysql2', connection: TEST_MYSQL_URL, pool: { min: 0, max: 1 } });
  try {
    return await work(admin);
  } finally {
    await admin.destroy();
  }
}

export const mariadbBackend: Backend = {
  name: 'mariadb',
  get available() {
    return inject('mysqlAvailable');
  },
  async create({ migrate = true } = {}) {
    const name = `mp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withAdmin((admin) =>
      admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
    );
    const url = `${TEST_MYSQL_URL.replace(/\/$/, '')}/${name}`;
    const db = createDb(url);
    if (migrate) await migrateLatest(db);
    return {
      db,
      url,
      async destroy() {
        await db.destroy();
        await withAdmin((admin) => admin.raw(`DROP DATABASE IF EXISTS \`${name}\``));
      },
    };
  },
};

/** Both backends: suites run `describe.each(backends)` and skip an unavailable one outside CI. */
export const backends: Backend[] = [sqliteBackend, mariadbBackend];
