import type { Knex } from 'knex';
import { dialectOf } from './db';

/**
 * A rendered list holds a quote, a backslash or a question mark only where a
 * medication name does (JSON escapes control characters with a backslash).
 * The question mark is kept out because the driver fills `?` placeholders in
 * the statement text around the literal.
 */
const NOT_LITERAL_AS_IS = /['\\?]/;

/**
 * How a rendered list goes into the statement on MySQL. Escaped as a string,
 * every one of its many double quotes gets a backslash, which cost about a
 * sixth of a replay; as bytes (a hex literal) it is twice its size on the
 * wire. A list without any character a single-quoted literal must escape is
 * therefore written as it is, in single quotes (the same under any
 * NO_BACKSLASH_ESCAPES setting: it has no backslash), and any other as bytes.
 */
function mysqlListValue(trx: Knex.Transaction, json: string): Knex.Raw | Buffer {
  return NOT_LITERAL_AS_IS.test(json) ? Buffer.from(json) : trx.raw(`'${json}'`);
}

/**
 * Stores rendered lists (null: marked too long): inserts those of patients
 * without a row, overwrites those in `existing` (whose rows the caller locked).
 */
export async function writeLists(
  trx: Knex.Transaction,
  rendered: readonly { up_id: string; periods_json: string | null }[],
  existing: ReadonlySet<string>,
): Promise<void> {
  const onMysql = dialectOf(trx) === 'mysql';
  const lists = rendered.map((l) => ({
    up_id: l.up_id,
    periods_json:
      onMysql && l.periods_json !== null ? mysqlListValue(trx, l.periods_json) : l.periods_json,
  }));
  const fresh = lists.filter((l) => !existing.has(l.up_id));
  const known = lists.filter((l) => existing.has(l.up_id));
  if (fresh.length > 0) await trx('patient_period_lists').insert(fresh);
  if (known.length > 0)
    await trx('patient_period_lists').insert(known).onConflict('up_id').merge(['periods_json']);
}
