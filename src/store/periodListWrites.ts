import type { Knex } from 'knex';
import { dialectOf } from './db';
import { chunkBySize, PAYLOAD_BYTES_PER_INSERT, STREAMS_PER_STATEMENT } from './statementSizes';

/**
 * A rendered list holds a quote or a backslash only where a medication name
 * does (JSON escapes control characters with a backslash).
 */
const NOT_LITERAL_AS_IS = /['\\]/;

/**
 * SQL text the MySQL driver puts in place of its `?` as it is: the driver's
 * documented `toSqlString` convention. A class rather than the driver's
 * `raw()`, whose plain object knex would turn into JSON.
 */
class SqlLiteral {
  constructor(private readonly text: string) {}
  toSqlString(): string {
    return this.text;
  }
}

/**
 * How a rendered list goes into the statement on MySQL. Escaped as a string,
 * every one of its many double quotes gets a backslash, which cost about a
 * sixth of a replay; as bytes (a hex literal) it is twice its size on the
 * wire. A list without any character a single-quoted literal must escape is
 * therefore sent as it is, in single quotes (the same under any
 * NO_BACKSLASH_ESCAPES setting: it has no backslash), and any other as bytes.
 * Both are bindings, so neither knex nor the driver scans the text for
 * placeholders.
 */
function mysqlListValue(json: string): SqlLiteral | Buffer {
  return NOT_LITERAL_AS_IS.test(json) ? Buffer.from(json) : new SqlLiteral(`'${json}'`);
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
  const value = (json: string | null) => (onMysql && json !== null ? mysqlListValue(json) : json);
  // A list can be hundreds of kilobytes (up to MAX_RENDERED_PERIODS periods).
  const statements = (lists: typeof rendered) =>
    chunkBySize(lists, STREAMS_PER_STATEMENT, PAYLOAD_BYTES_PER_INSERT, (l) =>
      l.periods_json === null ? 0 : Buffer.byteLength(l.periods_json),
    ).map((part) => part.map((l) => ({ up_id: l.up_id, periods_json: value(l.periods_json) })));
  for (const fresh of statements(rendered.filter((l) => !existing.has(l.up_id))))
    await trx('patient_period_lists').insert(fresh);
  for (const known of statements(rendered.filter((l) => existing.has(l.up_id))))
    await trx('patient_period_lists').insert(known).onConflict('up_id').merge(['periods_json']);
}
