import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * rabbitmqctl, run where RabbitMQ runs (the chaos run is a tool for this
 * machine or a CI runner with the broker beside it). Asynchronous, so the
 * publisher keeps its pace while a fault is being injected.
 */
async function rabbitmqctl(args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', args, { timeout: 60_000, encoding: 'utf8' });
  return stdout;
}

/**
 * Force-closes every connection whose client named itself `connectionName`,
 * as a broker restart or a network cut would. Returns how many it closed.
 */
export async function closeConnectionsNamed(connectionName: string): Promise<number> {
  // The plain table prints pids in the form close_connection takes (the JSON one does not).
  const listed = await rabbitmqctl([
    'list_connections',
    'pid',
    'client_properties',
    '--quiet',
    '--no-table-headers',
  ]);
  const pids = listed
    .split('\n')
    .filter((line) => line.includes(`"${connectionName}"`))
    .map((line) => line.split('\t')[0] as string);
  for (const pid of pids) await rabbitmqctl(['close_connection', pid, 'chaos: simulated outage']);
  return pids.length;
}

/** Ready plus unacknowledged messages of a queue in `vhost`, as the broker counts them; NaN if absent. */
export async function queueDepth(queue: string, vhost: string): Promise<number> {
  const out = await rabbitmqctl([
    '-q',
    'list_queues',
    '-p',
    vhost,
    'name',
    'messages',
    '--no-table-headers',
  ]);
  const line = out.split('\n').find((l) => l.split('\t')[0] === queue);
  return Number(line?.split('\t')[1] ?? NaN);
}
