import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import { adminConnection } from '../support/database';

export interface Environment {
  date: string;
  command: string;
  runs: number;
  size: string;
  git: string;
  cpuModel: string;
  cpus: number;
  memory: string;
  loadAverage: string;
  node: string;
  mariadb: string;
  /** The server settings the write-heavy figures depend on (see docs/operations.md). */
  mariadbSettings: string;
  rabbitmq: string;
  packages: string;
}

const REPO_ROOT = path.resolve(__dirname, '../..');
const PACKAGES = ['fastify', 'knex', 'mysql2', 'amqplib', 'rascal', 'autocannon', 'tsx'];

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function packageVersion(name: string): string {
  try {
    const file = path.join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

function gitDescription(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT })
      .toString()
      .trim();
    return dirty ? `${head} plus uncommitted changes in the working tree` : head;
  } catch {
    return 'unknown';
  }
}

// Write-heavy figures (ingest, lag) depend on these more than on the CPU: a
// redo log that fills up forces the server to flush in bursts, and the lag
// tail follows (docs/performance.md).
const INNODB_SETTINGS = [
  'innodb_buffer_pool_size',
  'innodb_log_file_size',
  'innodb_flush_log_at_trx_commit',
  'innodb_io_capacity',
] as const;

const MIB = 2 ** 20;

/** `name value` pairs as the report shows them; sizes in MiB. */
function describeInnodbSettings(values: ReadonlyMap<string, string>): string {
  return INNODB_SETTINGS.map((name) => {
    const value = values.get(name);
    if (value === undefined) return `${name} ?`;
    return name.endsWith('_size')
      ? `${name} ${Math.round(Number(value) / MIB)} MiB`
      : `${name} ${value}`;
  }).join(', ');
}

async function mariadbDescription(
  adminUrl: string,
): Promise<{ version: string; settings: string }> {
  const db = adminConnection(adminUrl);
  try {
    const [rows] = (await db.raw('select version() as v')) as [{ v: string }[]];
    const [variables] = (await db.raw(
      `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${INNODB_SETTINGS.map(() => '?').join(', ')})`,
      [...INNODB_SETTINGS],
    )) as [{ Variable_name: string; Value: string }[]];
    return {
      version: rows[0]?.v ?? 'unknown',
      settings: describeInnodbSettings(new Map(variables.map((v) => [v.Variable_name, v.Value]))),
    };
  } catch {
    return { version: 'unreachable', settings: 'unreachable' };
  } finally {
    await db.destroy();
  }
}

async function rabbitmqVersion(amqpUrl: string): Promise<string> {
  try {
    const connection = await connect(amqpUrl);
    connection.on('error', () => undefined);
    const version = connection.connection.serverProperties.version;
    await connection.close();
    return version ?? 'unknown';
  } catch {
    return 'unreachable';
  }
}

export async function describeEnvironment(args: {
  adminUrl: string;
  amqpUrl: string;
  command: string;
  runs: number;
  size: string;
}): Promise<Environment> {
  const mariadb = await mariadbDescription(args.adminUrl);
  return {
    date: new Date().toISOString(),
    command: args.command,
    runs: args.runs,
    size: args.size,
    git: gitDescription(),
    cpuModel: cpuModel(),
    cpus: os.cpus().length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
    node: process.version,
    mariadb: mariadb.version,
    mariadbSettings: mariadb.settings,
    rabbitmq: await rabbitmqVersion(args.amqpUrl),
    packages: PACKAGES.map((p) => `${p} ${packageVersion(p)}`).join(', '),
  };
}
