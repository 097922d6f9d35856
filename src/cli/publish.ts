/**
 * Publishes a JSON array of device events to RabbitMQ, one message per item,
 * with publisher confirms.
 *
 *   tsx src/cli/publish.ts FILE [--shuffle] [--repeat N] [--rate N] [--message-id uuid|hash] ...
 *
 * The file is stream-parsed, so it may be far larger than memory, except with
 * --shuffle, which needs every item at once and so loads the whole file
 * (times --repeat). Each item is sent as its own JSON text, invalid events
 * included: rejecting them is the consumer's job. The last line printed is a
 * summary; the exit code is 1 if any message was not confirmed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { JSONParser } from '@streamparser/json';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { connectBroker } from '../broker/connection';
import { DEFAULT_BROKER_OPTIONS } from '../broker/options';
import { ConfirmingPublisher } from '../broker/publisher';

export const MESSAGE_ID_STRATEGIES = ['uuid', 'hash'] as const;
export type MessageIdStrategy = (typeof MESSAGE_ID_STRATEGIES)[number];

export interface PublishArgs {
  file: string;
  url: string;
  exchange: string;
  routingKey: string;
  /** The queue the exchange feeds; declared (with its dead-letter pair) so nothing published is unroutable. */
  queue: string;
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

export interface PublishSummary {
  published: number;
  confirmed: number;
  failed: number;
  elapsedMs: number;
  /** Why publishing stopped early (unreadable file, not a JSON array...), if it did. */
  error?: string;
}

// ─── command line ──────────────────────────────────────────────────────────

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
    .option('--exchange <name>', 'exchange to publish to', DEFAULT_BROKER_OPTIONS.exchange)
    .option(
      '--routing-key <key>',
      'routing key of every message',
      DEFAULT_BROKER_OPTIONS.routingKey,
    )
    .option(
      '--queue <name>',
      'queue bound to the exchange (declared if missing)',
      DEFAULT_BROKER_OPTIONS.queue,
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
    exchange: string;
    routingKey: string;
    queue: string;
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
    exchange: opts.exchange,
    routingKey: opts.routingKey,
    queue: opts.queue,
    shuffle: opts.shuffle,
    repeat: opts.repeat,
    rate: opts.rate,
    messageId: opts.messageId,
    window: opts.window,
    connectTimeout: opts.connectTimeout,
    progress: opts.progress,
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

// ─── reading the file ──────────────────────────────────────────────────────

/**
 * Yields the items of the file's top-level array one by one, reading it in
 * chunks; `onBytes` reports progress through the file.
 */
export async function* streamJsonArray(
  file: string,
  onBytes: (bytes: number) => void = () => undefined,
): AsyncGenerator<unknown> {
  // keepStack: false drops items once emitted, so memory stays flat however long the array.
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: unknown[] = [];
  parser.onValue = ({ value }) => {
    ready.push(value);
  };
  let rootSeen = false;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    if (!rootSeen) rootSeen = checkArrayOpens(bytes, file);
    parser.write(bytes);
    onBytes(bytes.length);
    yield* ready.splice(0);
  }
  // The parser ends by itself once the array closes; ending it again would throw.
  if (!parser.isEnded) parser.end();
  if (!rootSeen) throw new Error(`${file}: expected a JSON array at the top level, found nothing`);
  yield* ready.splice(0);
}

/**
 * Whether this chunk shows how the document starts: true if it opens an
 * array, false if it is all whitespace; throws if anything else comes first
 * (otherwise `$.*` would happily stream the members of an object).
 */
function checkArrayOpens(chunk: Buffer, file: string): boolean {
  const first = chunk.toString('latin1').trimStart()[0];
  if (first === undefined) return false;
  if (first !== '[') throw new Error(`${file}: expected a JSON array at the top level`);
  return true;
}

/** Fails fast on a file that cannot be a JSON array, before anything is published. */
async function assertStartsLikeAnArray(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const first = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    if (first !== '[') throw new Error(`${file}: expected a JSON array at the top level`);
  } finally {
    await handle.close();
  }
}

/** Every item of the file, `repeat` times, in a uniformly random order (Fisher–Yates). */
async function loadShuffled(file: string, repeat: number): Promise<unknown[]> {
  const items: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(items)) throw new Error(`${file}: expected a JSON array at the top level`);
  const all: unknown[] = [];
  for (let r = 0; r < repeat; r += 1) all.push(...items);
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}

// ─── pacing, ids, progress ─────────────────────────────────────────────────

/** Spaces events evenly at `rate` per second, measured from the first. */
function pacer(rate: number | undefined): () => Promise<void> {
  if (rate === undefined) return () => Promise.resolve();
  const start = Date.now();
  let sent = 0;
  return async () => {
    const due = start + (sent * 1000) / rate;
    sent += 1;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}

function messageIdOf(strategy: MessageIdStrategy, body: Buffer): string {
  // A hash gives identical bodies identical ids, which makes repeats easy to spot in the broker.
  return strategy === 'hash' ? createHash('sha256').update(body).digest('hex') : randomUUID();
}

interface Progress {
  advance(bytesOrItems: number): void;
  update(summary: PublishSummary): void;
  stop(): void;
}

/** A bar on a terminal; elsewhere (CI, pipes) a plain line every few seconds. */
function progressReporter(enabled: boolean, total: number, unit: 'bytes' | 'events'): Progress {
  if (!enabled) return { advance: () => undefined, update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `{bar} {percentage}% of ${unit} | confirmed {confirmed} | failed {failed} | {rate}/s`,
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { confirmed: 0, failed: 0, rate: 0 });
    return {
      advance: (n) => bar.increment(n),
      update: (s) =>
        bar.update({ confirmed: s.confirmed, failed: s.failed, rate: ratePerSecond(s) }),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let latest: PublishSummary | null = null;
  const timer = setInterval(() => {
    if (!latest) return;
    const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
    process.stderr.write(`progress: ${percent}% of ${unit}; ${formatSummary(latest)}\n`);
  }, 5_000);
  timer.unref();
  return {
    advance: (n) => {
      done += n;
    },
    update: (s) => {
      latest = s;
    },
    stop: () => clearInterval(timer),
  };
}

function ratePerSecond(s: PublishSummary): number {
  return s.elapsedMs > 0 ? Math.round((s.confirmed * 1000) / s.elapsedMs) : 0;
}

export function formatSummary(s: PublishSummary): string {
  const seconds = (s.elapsedMs / 1000).toFixed(2);
  return `published ${s.published}, confirmed ${s.confirmed}, failed ${s.failed} in ${seconds}s (${ratePerSecond(s)}/s)`;
}

// ─── publishing ────────────────────────────────────────────────────────────

/** Publishes the file as `args` say and reports what the broker confirmed. */
export async function runPublish(args: PublishArgs): Promise<PublishSummary> {
  const started = Date.now();
  const summary: PublishSummary = { published: 0, confirmed: 0, failed: 0, elapsedMs: 0 };
  // Read what can be checked up front before connecting, so a wrong path fails fast.
  const shuffled = args.shuffle ? await loadShuffled(args.file, args.repeat) : null;
  if (!shuffled) await assertStartsLikeAnArray(args.file);
  const total = shuffled ? shuffled.length : (await stat(args.file)).size * args.repeat;
  const connection = await connectBroker({
    connectTimeoutMs: args.connectTimeout,
    options: {
      url: args.url,
      connectionName: 'medication-periods publish',
      exchange: args.exchange,
      routingKey: args.routingKey,
      queue: args.queue,
    },
  });
  const publisher = await ConfirmingPublisher.open(connection, {
    maxInFlight: args.window,
    onSettled: (outcome) => {
      if (outcome.ok) summary.confirmed += 1;
      else {
        summary.failed += 1;
        // The first failures say why; after that the count says enough.
        if (summary.failed <= 5)
          process.stderr.write(`failed ${outcome.messageId}: ${outcome.error.message}\n`);
      }
    },
  });

  const progress = progressReporter(args.progress, total, shuffled ? 'events' : 'bytes');
  const wait = pacer(args.rate);

  const publishItem = async (item: unknown): Promise<void> => {
    await wait();
    const body = Buffer.from(JSON.stringify(item));
    await publisher.send(body, { messageId: messageIdOf(args.messageId, body) });
    summary.published += 1;
    summary.elapsedMs = Date.now() - started;
    progress.update(summary);
  };

  try {
    if (shuffled) {
      for (const item of shuffled) {
        await publishItem(item);
        progress.advance(1);
      }
    } else {
      for (let r = 0; r < args.repeat; r += 1) {
        for await (const item of streamJsonArray(args.file, (n) => progress.advance(n))) {
          await publishItem(item);
        }
      }
    }
  } catch (err) {
    summary.error = err instanceof Error ? err.message : String(err);
  } finally {
    await publisher.close();
    summary.elapsedMs = Date.now() - started;
    progress.update(summary);
    progress.stop();
    await connection.close();
  }
  return summary;
}

async function main(): Promise<void> {
  let args: PublishArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    // Commander has printed the usage error or the help text already.
    const exitCode = (err as { exitCode?: number }).exitCode;
    process.exit(typeof exitCode === 'number' ? exitCode : 2);
  }
  try {
    const summary = await runPublish(args);
    if (summary.error) process.stderr.write(`publish stopped: ${summary.error}\n`);
    process.stdout.write(`${formatSummary(summary)}\n`);
    process.exitCode = summary.failed > 0 || summary.error ? 1 : 0;
  } catch (err) {
    process.stderr.write(`publish failed: ${err instanceof Error ? err.message : String(err)}\n`);
    // Exit now: a broker that was never reached leaves rascal retrying in the background.
    process.exit(1);
  }
}

if (require.main === module) void main();
