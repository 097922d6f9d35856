import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbBackend, type TestDatabase } from '../../test/support/backends';

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
