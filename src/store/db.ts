import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from '../../migrations';

export type Dialect = 'mysql' | 'sqlite';

/** Turns a DATABASE_URL into a knex configuration (also used by the knexfile). */
export function knexConfigFor(databaseUrl: string): Knex.Config {
  if (databaseUrl.startsWith('sqlite:')) {
    const filename = databaseUrl.slice('sqlite:'.length);
    if (filename.length === 0) throw new Error('DATABASE_URL sqlite: needs a path or :memory:');
    const inMemory = filename === ':memory:';
    if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
    return {
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      compileSqlOnError: false,
      // One connection: an in-memory database lives in its connection, and
      // SQLite allows one writer anyway, so writers are serialized here.
      pool: {
        min: 1,
        max: 1,
        afterCreate(
          conn: SqliteConnection,
          done: (err: Error | null, conn: SqliteConnection) => void,
        ) {
          const pragmas = ['PRAGMA busy_timeout = 10000', 'PRAGMA foreign_keys = ON'];
          if (!inMemory) pragmas.push('PRAGMA journal_mode = WAL', 'PRAGMA synchronous = NORMAL');
          conn.exec(pragmas.join(';'), (err) => done(err, conn));
        },
      },
      migrations: { migrationSource },
    };
  }
  if (databaseUrl.startsWith('mysql://')) {
    const url = new URL(databaseUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (database.length === 0) throw new Error('DATABASE_URL mysql:// needs a database name');
    const poolMax = url.searchParams.get('pool_max') ?? '10';
    if (!/^[1-9][0-9]{0,3}$/.test(poolMax)) {
      throw new Error(`DATABASE_URL pool_max must be an integer from 1 to 9999, got ${poolMax}`);
    }
    return {
      client: 'mysql2',
      connection: {
        host: url.hostname,
        port: url.port ? Number(url.port) : 3306,
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database,
        charset: 'utf8mb4',
        timezone: 'Z',
        supportBigNumbers: true,
        ...mysqlSslOptions(url.searchParams),
      },
      pool: {
        min: 0,
        max: Number(poolMax),
        afterCreate(
          conn: MysqlConnection,
          done: (err: Error | null, conn: MysqlConnection) => void,
        ) {
          conn.query(ALWAYS_ESTIMATE_RANGES_BY_INDEX_DIVES, (err) => done(err, conn));
        },
      },
      // Error messages must not carry the SQL with its bound values (patient ids) into logs.
      compileSqlOnError: false,
      migrations: { migrationSource },
    };
  }
  throw new Error(
    `DATABASE_URL must start with sqlite: or mysql://, got ${JSON.stringify(databaseUrl.split(':')[0])}`,
  );
}

/**
 * The write path and the replay read many streams at once with a row-value
 * IN list on the stream index. Past eq_range_index_dive_limit ranges (200 by
 * default) MariaDB estimates them from index statistics instead of looking,
 * and while those statistics lagged behind a growing events table it chose a
 * scan of the whole index (with FORCE INDEX too): in the lag benchmark every
 * batch of more than 200 streams read the whole events table, and the service
 * fell further behind with every batch. Dives cost a B-tree descent per range.
 */
const ALWAYS_ESTIMATE_RANGES_BY_INDEX_DIVES = 'SET SESSION eq_range_index_dive_limit = 0';

interface MysqlConnection {
  query(sql: string, callback: (err: Error | null) => void): void;
}

interface SqliteConnection {
  exec(sql: string, callback: (err: Error | null) => void): void;
}

/** TLS for MySQL from URL parameters: ssl=true|required, ssl_ca=PATH, ssl_reject_unauthorized=false. */
function mysqlSslOptions(params: URLSearchParams): {
  ssl?: { ca?: string; rejectUnauthorized: boolean };
} {
  const ssl = params.get('ssl');
  if (ssl === null || ssl === 'false') return {};
  const caPath = params.get('ssl_ca');
  return {
    ssl: {
      ...(caPath ? { ca: fs.readFileSync(caPath, 'utf8') } : {}),
      rejectUnauthorized: params.get('ssl_reject_unauthorized') !== 'false',
    },
  };
}

/** Where knex's own messages go: pino's warn and error, for one. */
export interface DbLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * knex writes pool and connection trouble to the console, with stacks: lines
 * that would break a JSON log stream apart. With `log` they become one
 * entry each, holding the message's first line only (never a stack, and
 * never SQL with bound values, which these messages do not carry).
 */
function knexLog(log: DbLog): Knex.Config['log'] {
  const firstLine = (message: unknown) =>
    (message instanceof Error ? `${message.name}: ${message.message}` : String(message)).split(
      '\n',
    )[0];
  return {
    warn: (message: unknown) => log.warn({ detail: firstLine(message) }, 'database client warning'),
    error: (message: unknown) => log.error({ detail: firstLine(message) }, 'database client error'),
    deprecate: (method: string, alternative: string) =>
      log.warn(
        { detail: `${method} is deprecated, use ${alternative}` },
        'database client warning',
      ),
    debug: () => undefined,
  };
}

/** Creates the knex instance for a DATABASE_URL (sqlite:PATH, sqlite::memory:, mysql://…). */
export function createDb(databaseUrl: string, options: { log?: DbLog } = {}): Knex {
  const config = knexConfigFor(databaseUrl);
  return knex(options.log ? { ...config, log: knexLog(options.log) } : config);
}

export function dialectOf(db: Knex): Dialect {
  const client = String(db.client.config.client);
  return client === 'mysql2' || client === 'mysql' ? 'mysql' : 'sqlite';
}

/** Applies pending migrations. */
export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

/** Resolves when the database answers a trivial query. */
export async function pingDb(db: Knex): Promise<void> {
  await db.raw('select 1');
}
