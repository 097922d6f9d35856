/** The publisher CLI's command line: what it accepts and what it means. */
import { Command, Option } from 'commander';
import { positiveInteger } from './positiveInteger';
import { DEFAULT_BROKER_OPTIONS } from '../broker/options';

export const MESSAGE_ID_STRATEGIES = ['uuid', 'hash'] as const;
export type MessageIdStrategy = (typeof MESSAGE_ID_STRATEGIES)[number];

export interface PublishArgs {
  file: string;
  url: string;
  exchange: string;
  routingKey: string;
  /** The queue the exchange feeds; declared (with its dead-letter pair) so nothing published is unroutable. */
  queue: string;
  /** The queue's x-delivery-limit: must be what the service declared it with. */
  deliveryLimit: number;
  shuffle: boolean;
  repeat: number;
  /** Events per second; undefined for as fast as confirms come back. */
  rate: number | undefined;
  messageId: MessageIdStrategy;
  /** Unconfirmed messages allowed at once. */
  window: number;
  /** Milliseconds to wait for the first connection to the broker. */
  connectTimeout: number;
  progress: boolean;
}

export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  writeErr: (text: string) => void = (text) => process.stderr.write(text),
): PublishArgs {
  const program = new Command()
    .name('publish')
    .description('Publish a JSON array of device events to RabbitMQ, with publisher confirms.')
    .argument('<file>', 'JSON file holding an array of events')
    .option('--url <url>', 'broker URL (default: AMQP_URL, else local guest)')
    .option(
      '--exchange <name>',
      'exchange to publish to (default: AMQP_EXCHANGE, else device-events)',
    )
    .option(
      '--routing-key <key>',
      'routing key of every message',
      DEFAULT_BROKER_OPTIONS.routingKey,
    )
    .option(
      '--queue <name>',
      'queue bound to the exchange, declared if missing (default: AMQP_QUEUE, else medication-periods.device-events)',
    )
    .option(
      '--delivery-limit <n>',
      "the queue's delivery limit, as the service declares it (default: AMQP_DELIVERY_LIMIT, else 5)",
      positiveInteger,
    )
    .option('--shuffle', 'publish in random order (loads the whole file)', false)
    .option('--repeat <n>', 'publish the file this many times', positiveInteger, 1)
    .option('--rate <n>', 'at most this many events per second', positiveInteger)
    .addOption(
      new Option(
        '--message-id <strategy>',
        'message id of each message: random, or a hash of its body',
      )
        .choices(MESSAGE_ID_STRATEGIES)
        .default('uuid'),
    )
    .option('--window <n>', 'unconfirmed messages allowed at once', positiveInteger, 1000)
    .option(
      '--connect-timeout <ms>',
      'give up if the broker cannot be reached',
      positiveInteger,
      15000,
    )
    .option('--no-progress', 'no progress output, only the summary')
    .exitOverride()
    .configureOutput({ writeErr })
    .parse(argv, { from: 'user' });

  const opts = program.opts<{
    url?: string;
    exchange?: string;
    routingKey: string;
    queue?: string;
    deliveryLimit?: number;
    shuffle: boolean;
    repeat: number;
    rate?: number;
    messageId: MessageIdStrategy;
    window: number;
    connectTimeout: number;
    progress: boolean;
  }>();
  return {
    file: program.args[0] as string,
    url: opts.url ?? env.AMQP_URL ?? DEFAULT_BROKER_OPTIONS.url,
    // The service's own variables, so that the CLI run beside it publishes where it consumes.
    exchange: opts.exchange ?? nonEmpty(env.AMQP_EXCHANGE) ?? DEFAULT_BROKER_OPTIONS.exchange,
    routingKey: opts.routingKey,
    queue: opts.queue ?? nonEmpty(env.AMQP_QUEUE) ?? DEFAULT_BROKER_OPTIONS.queue,
    deliveryLimit:
      opts.deliveryLimit ??
      (env.AMQP_DELIVERY_LIMIT === undefined
        ? DEFAULT_BROKER_OPTIONS.deliveryLimit
        : positiveIntegerVariable('AMQP_DELIVERY_LIMIT', env.AMQP_DELIVERY_LIMIT)),
    shuffle: opts.shuffle,
    repeat: opts.repeat,
    rate: opts.rate,
    messageId: opts.messageId,
    window: opts.window,
    connectTimeout: opts.connectTimeout,
    progress: opts.progress,
  };
}

/** A positive integer from the environment; commander names options itself, this names the variable. */
function positiveIntegerVariable(variable: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${variable} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

const nonEmpty = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;
