import { randomUUID } from 'node:crypto';
import type { ConfirmChannel } from 'amqplib';
import { connectAmqp } from '../support/amqpConnection';

export interface BarePublishArgs {
  url: string;
  exchange: string;
  routingKey: string;
  /** Unconfirmed messages allowed at once (the publisher CLI's --window default). */
  window?: number;
}

/**
 * The baseline publisher: one amqplib confirm channel, persistent mandatory
 * messages with the same properties as the service's publisher, up to
 * `window` awaiting their confirm. No rascal, no pools, no per-message
 * promises. Resolves when every message is confirmed; rejects on a nack.
 */
export async function publishConfirmed(
  args: BarePublishArgs,
  bodies: Iterable<Buffer>,
): Promise<{ published: number; elapsedMs: number }> {
  const { connection, lost, close } = await connectAmqp(args.url);
  try {
    const channel = await connection.createConfirmChannel();
    const started = performance.now();
    const published = await Promise.race([publishAll(channel, args, bodies), lost]);
    return { published, elapsedMs: performance.now() - started };
  } finally {
    await close();
  }
}

async function publishAll(
  channel: ConfirmChannel,
  args: BarePublishArgs,
  bodies: Iterable<Buffer>,
): Promise<number> {
  const window = args.window ?? 1000;
  let inFlight = 0;
  let published = 0;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const onConfirm = (err: unknown) => {
    inFlight -= 1;
    if (err) failure ??= new Error(`broker nacked a message: ${String(err)}`);
    wake?.();
  };
  const waitFor = (condition: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (condition() || failure) {
          wake = null;
          resolve();
        }
      };
      wake = check;
      check();
    });
  for (const body of bodies) {
    if (inFlight >= window) await waitFor(() => inFlight < window);
    if (failure) throw failure;
    inFlight += 1;
    published += 1;
    const ok = channel.publish(
      args.exchange,
      args.routingKey,
      body,
      {
        persistent: true,
        mandatory: true,
        contentType: 'application/json',
        messageId: randomUUID(),
      },
      onConfirm,
    );
    if (!ok) await new Promise<void>((resolve) => channel.once('drain', () => resolve()));
  }
  await waitFor(() => inFlight === 0);
  if (failure) throw failure;
  return published;
}
