import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbBackend, type TestDatabase } from '../../test/support/backends';
import { createDb, knexConfigFor } from './db';

const diveLimitOf = (rows: unknown) =>
  Number((rows as [{ Value: string }[]])[0][0]?.Value ?? Number.NaN);

describe('MySQL sessions of the service’s pool on mariadb', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (mariadbBackend.available) t = await mariadbBackend.create();
  });
  afterAll(async () => t?.destroy());

  it.skipIf(!mariadbBackend.available)(
    'given any pooled connection, when ranges are planned, then they are estimated by index dives, never from statistics',
    async () => {
      const query = "SHOW SESSION VARIABLES LIKE 'eq_range_index_dive_limit'";
      // Several at once, so more than one connection of the pool is asked.
      const limits = await Promise.all(
        Array.from({ length: 4 }, () => t.db.raw(query).then(diveLimitOf)),
      );
      const inTransaction = await t.db.transaction((trx) => trx.raw(query).then(diveLimitOf));
      expect([...limits, inTransaction]).toEqual([0, 0, 0, 0, 0]);
    },
  );
});

describe("knex's own messages", () => {
  it('given a log, when the pool cannot connect, then each message is one entry of its first line, without a stack', async () => {
    const entries: { level: string; detail: string; message: string }[] = [];
    const log = {
      warn: (fields: object, message: string) =>
        entries.push({ level: 'warn', message, ...(fields as { detail: string }) }),
      error: (fields: object, message: string) =>
        entries.push({ level: 'error', message, ...(fields as { detail: string }) }),
    };
    // Port 1: nothing listens, the connection is refused at once.
    const db = createDb('mysql://root@127.0.0.1:1/nothing', { log });
    try {
      await expect(db.raw('select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await db.destroy();
    }
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({ level: 'warn', message: 'database client warning' });
    expect(entries[0]!.detail).toContain('ECONNREFUSED');
    for (const entry of entries) expect(entry.detail).not.toContain('\n');
  });
});

describe('DATABASE_URL for MySQL', () => {
  it('given pool_max, when configured, then it sizes the pool', () => {
    expect(knexConfigFor('mysql://u@h:3306/db?pool_max=25').pool).toMatchObject({ max: 25 });
    expect(knexConfigFor('mysql://u@h:3306/db').pool).toMatchObject({ max: 10 });
  });

  it.each(['abc', '0', '-1', '2.5', '100000'])(
    'given pool_max=%s, when configured, then the error names DATABASE_URL and pool_max',
    (value) => {
      expect(() => knexConfigFor(`mysql://u@h:3306/db?pool_max=${value}`)).toThrow(
        `DATABASE_URL pool_max must be an integer from 1 to 9999, got ${value}`,
      );
    },
  );
});
