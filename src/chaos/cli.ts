import { Command, InvalidArgumentError, Option } from 'commander';
import { positiveInteger } from '../cli/positiveInteger';
import { formatReport, failuresOf } from './report';
import { runChaos } from './run';

const range = (value: string): [number, number] => {
  const match = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(value);
  if (!match || Number(match[1]) > Number(match[2])) {
    throw new InvalidArgumentError('must be MIN-MAX, e.g. 2-8');
  }
  return [Number(match[1]) * 1000, Number(match[2]) * 1000];
};

const program = new Command()
  .name('chaos')
  .description(
    'Plays generated device events through RabbitMQ into two consumer processes on a fresh MariaDB ' +
      'database while killing consumers, closing their broker connections and cutting the database; ' +
      'then checks that nothing was lost or doubled and the periods are exact.',
  )
  .option(
    '--events <n>',
    'messages to publish (copies, late and invalid ones included)',
    positiveInteger,
    10_000,
  )
  .option('--seconds <s>', 'how long publishing (and fault injection) lasts', positiveInteger, 60)
  .option('--consumers <n>', 'consumer processes', positiveInteger, 2)
  .option('--seed <n>', 'seed of the workload and the fault schedule', positiveInteger, 1)
  // Parsed into milliseconds; the help shows the defaults as they are typed.
  .addOption(
    new Option('--fault-interval <min-max>', 'seconds between faults')
      .argParser(range)
      .default([2_000, 8_000], '2-8'),
  )
  .addOption(
    new Option('--outage <min-max>', 'seconds a database cut lasts')
      .argParser(range)
      .default([1_000, 5_000], '1-5'),
  )
  .option('--drain-timeout <s>', 'seconds to wait for the queue to empty', positiveInteger, 600)
  .option(
    '--mysql-url <url>',
    'MariaDB/MySQL server (no database; the run creates its own)',
    process.env.CHAOS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  )
  .option(
    '--amqp-url <url>',
    'RabbitMQ',
    process.env.CHAOS_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  )
  .option('--keep', 'keep the database and the topology afterwards, for inspection', false);

async function main(): Promise<void> {
  program.parse();
  const o = program.opts<{
    events: number;
    seconds: number;
    consumers: number;
    seed: number;
    faultInterval: [number, number];
    outage: [number, number];
    drainTimeout: number;
    mysqlUrl: string;
    amqpUrl: string;
    keep: boolean;
  }>();
  const say = (line: string) => console.error(`[chaos] ${line}`);
  say(`${o.events} events over ${o.seconds}s into ${o.consumers} consumers, seed ${o.seed}`);
  const report = await runChaos(
    {
      events: o.events,
      seconds: o.seconds,
      consumers: o.consumers,
      seed: o.seed,
      keep: o.keep,
      mysqlUrl: o.mysqlUrl,
      amqpUrl: o.amqpUrl,
      faultIntervalMs: o.faultInterval,
      outageMs: o.outage,
      drainTimeoutMs: o.drainTimeout * 1000,
    },
    say,
  );
  console.log(formatReport(report));
  const failures = failuresOf(report);
  console.log(failures.length === 0 ? 'result  PASS' : `result  FAIL: ${failures.join(', ')}`);
  process.exit(failures.length === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`chaos run failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
