import { randomBytes } from 'node:crypto';
import { connect } from 'amqplib';
import knex, { type Knex } from 'knex';
import { connectBroker } from '../broker/connection';
import { resolveBrokerOptions, type BrokerOptions } from '../broker/options';
import { deleteDeclaredTopology } from '../broker/deleteTopology';
import { createDb, migrateLatest } from '../store/db';
import { startTcpProxy, type TcpProxy } from './tcpProxy';

export interface ChaosEnvironment {
  id: string;
  /** The run's own database, reached directly (for verification). */
  db: Knex;
  databaseName: string;
  /** DATABASE_URL for the consumers: through the proxy, so it can be cut. */
  proxiedDatabaseUrl: string;
  proxy: TcpProxy;
  broker: BrokerOptions;
  /** Drops the database and the topology (unless kept) and stops the proxy. */
  teardown(keep: boolean): Promise<void>;
}

export interface EnvironmentOptions {
  /** A MySQL/MariaDB server URL without a database, for a user that may create databases. */
  mysqlUrl: string;
  amqpUrl: string;
}

async function admin<T>(mysqlUrl: string, work: (k: Knex) => Promise<T>): Promise<T> {
  const k = knex({ client: 'mysql2', connection: mysqlUrl, pool: { min: 0, max: 1 } });
  try {
    return await work(k);
  } finally {
    await k.destroy();
  }
}

/** A fresh database (migrated), a proxy in front of it, and a uniquely named topology. */
export async function createEnvironment(options: EnvironmentOptions): Promise<ChaosEnvironment> {
  const id = `chaos_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databaseName = `mp_${id}`;
  await admin(options.mysqlUrl, (k) =>
    k.raw(`CREATE DATABASE \`${databaseName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`),
  );
  const direct = new URL(options.mysqlUrl);
  direct.pathname = `/${databaseName}`;
  const db = createDb(direct.toString());
  let proxy: TcpProxy | undefined;
  const name = id.replace(/_/g, '.');
  const broker = resolveBrokerOptions({
    url: options.amqpUrl,
    connectionName: `${name}.consumer`,
    exchange: `${name}.events`,
    queue: `${name}.queue`,
  });
  try {
    await migrateLatest(db);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 3306) });
    // Declared before anything is published, exactly as the consumers will declare it.
    await (await connectBroker({ options: broker })).close();
  } catch (err) {
    // A set-up that failed (a broker out of reach, say) leaves no database behind.
    await proxy?.close();
    await db.destroy();
    await admin(options.mysqlUrl, (k) => k.raw(`DROP DATABASE IF EXISTS \`${databaseName}\``));
    throw err;
  }
  const proxied = new URL(direct.toString());
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);

  return {
    id,
    db,
    databaseName,
    proxiedDatabaseUrl: proxied.toString(),
    proxy,
    broker,
    async teardown(keep) {
      await proxy.close();
      await db.destroy();
      if (keep) return;
      const connection = await connect(options.amqpUrl);
      try {
        await deleteDeclaredTopology(await connection.createChannel(), broker);
      } finally {
        await connection.close().catch(() => undefined);
      }
      await admin(options.mysqlUrl, (k) => k.raw(`DROP DATABASE IF EXISTS \`${databaseName}\``));
    },
  };
}
