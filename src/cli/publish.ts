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
import { stat } from 'node:fs/promises';
import { CommanderError } from 'commander';
import { connectBroker } from '../broker/connection';
import { ConfirmingPublisher } from '../broker/publisher';
import { assertStartsLikeAnArray, loadShuffled, streamJsonArray } from './jsonArrayFile';
import { createProgress } from './progress';
import { parseArgs, type MessageIdStrategy, type PublishArgs } from './publishArgs';

export interface PublishSummary {
  published: number;
  confirmed: number;
  failed: number;
  elapsedMs: number;
  /** Why publishing stopped early (unreadable file, not a JSON array...), if it did. */
  error?: string;
}

// ─── pacing, ids, summary ──────────────────────────────────────────────────

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
      deliveryLimit: args.deliveryLimit,
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

  const progress = createProgress({
    enabled: args.progress,
    total,
    unit: shuffled ? 'events' : 'bytes',
  });
  let position = 0;
  const advance = (bytesOrItems: number) => {
    position += bytesOrItems;
  };
  const report = () =>
    progress.update(position, `confirmed ${summary.confirmed}, failed ${summary.failed}`);
  const wait = pacer(args.rate);

  const publishItem = async (item: unknown): Promise<void> => {
    await wait();
    const body = Buffer.from(JSON.stringify(item));
    await publisher.send(body, { messageId: messageIdOf(args.messageId, body) });
    summary.published += 1;
    summary.elapsedMs = Date.now() - started;
    report();
  };

  try {
    if (shuffled) {
      for (const item of shuffled) {
        advance(1);
        await publishItem(item);
      }
    } else {
      for (let r = 0; r < args.repeat; r += 1) {
        for await (const item of streamJsonArray(args.file, advance)) {
          await publishItem(item);
        }
      }
    }
  } catch (err) {
    summary.error = err instanceof Error ? err.message : String(err);
  } finally {
    await publisher.close();
    summary.elapsedMs = Date.now() - started;
    report();
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
    // Commander has printed its own usage errors and the help text already.
    if (!(err instanceof CommanderError))
      process.stderr.write(`publish: ${String((err as Error).message)}\n`);
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
