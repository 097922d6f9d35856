import { Command, InvalidArgumentError } from 'commander';
import { positiveInteger } from '../src/cli/positiveInteger';

export const SCENARIOS = ['ingest', 'publish', 'longStreams', 'replay', 'reads', 'lag'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchArgs {
  quick: boolean;
  runs: number;
  only: ScenarioName[];
  out: string;
  databaseUrl: string;
  amqpUrl: string;
  /** Overrides the number of late events at the final long-stream size. */
  lateEvents: number | undefined;
}

function scenarioList(value: string): ScenarioName[] {
  const names = value.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(SCENARIOS as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown scenario ${name}; known: ${SCENARIOS.join(', ')}`);
  }
  return names as ScenarioName[];
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const program = new Command('bench')
    .description('Benchmarks the service against baselines measured in the same run.')
    .option('--quick', 'tiny sizes: a smoke run that proves the benchmark works', false)
    .option('--runs <n>', 'runs per figure (median, min, max)', positiveInteger, 3)
    .option('--only <names>', `comma-separated subset of: ${SCENARIOS.join(', ')}`, scenarioList)
    .option('--out <file>', 'where to write the markdown report', 'docs/benchmarks.md')
    .option(
      '--database-url <url>',
      'MariaDB admin URL (a user that may create databases)',
      process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
    )
    .option(
      '--amqp-url <url>',
      'RabbitMQ URL',
      process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    )
    .option(
      '--late-events <n>',
      'late events at the final long-stream size (default: 1000, quick: 30)',
      positiveInteger,
    )
    .parse(argv, { from: 'user' });
  const opts = program.opts<{
    quick: boolean;
    runs: number;
    only?: ScenarioName[];
    out: string;
    databaseUrl: string;
    amqpUrl: string;
    lateEvents?: number;
  }>();
  return {
    quick: opts.quick,
    runs: opts.runs,
    only: opts.only ?? [...SCENARIOS],
    out: opts.out,
    databaseUrl: opts.databaseUrl,
    amqpUrl: opts.amqpUrl,
    lateEvents: opts.lateEvents,
  };
}
