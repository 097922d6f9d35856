import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from 'amqplib';
import knex from 'knex';

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

async function mariadbVersion(adminUrl: string): Promise<string> {
  const db = knex({ client: 'mysql2', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    const [rows] = (await db.raw('select version() as v')) as [{ v: string }[]];
    return rows[0]?.v ?? 'unknown';
  } catch {
    return 'unreachable';
  } finally {
    await db.destroy();
  }
}

async function rabbitmqVersion(amqpUrl: string): Promise<string> {
  try {
    const connection = await connect(amqpUrl);
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
    mariadb: await mariadbVersion(args.adminUrl),
    rabbitmq: await rabbitmqVersion(args.amqpUrl),
    packages: PACKAGES.map((p) => `${p} ${packageVersion(p)}`).join(', '),
  };
}
