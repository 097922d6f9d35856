import { once } from 'node:events';
import type { ConfirmChannel, Connection, Message } from 'amqplib/callback_api';
import type { BrokerConnection } from './connection';
import { vhostFromUrl } from './topology';

export type PublishOutcome =
  { ok: true; messageId: string } | { ok: false; messageId: string; error: Error };

export interface PublisherOptions {
  /** Messages sent but not yet confirmed; `send` waits while this many are out. */
  maxInFlight: number;
  /** Called once per message, when the broker confirmed it or it failed. */
  onSettled?: (outcome: PublishOutcome) => void;
}

export interface SendOptions {
  messageId: string;
  routingKey?: string;
}

/**
 * Publishes persistent, mandatory messages with publisher confirms, many at
 * a time, on one confirm channel of its own. Rascal declares the topology
 * and owns the connection settings (URL, TLS); the bulk path goes through
 * the amqplib channel rascal hands out (`broker.connect`), because rascal's
 * own publish borrows a pooled channel per message until its confirm, which
 * caps a publisher at a few thousand messages a second (measured in
 * docs/benchmarks.md). Confirms are per message; `maxInFlight` bounds
 * memory and gives the caller backpressure.
 */
export class ConfirmingPublisher {
  private inFlight = 0;
  private slotWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  /** Returned (unroutable) messages by id: a return arrives before its message's confirm. */
  private readonly returned = new Map<string, number>();
  private closedError: Error | null = null;

  private constructor(
    private readonly amqp: Connection,
    private readonly channel: ConfirmChannel,
    private readonly exchange: string,
    private readonly defaultRoutingKey: string,
    private readonly options: PublisherOptions,
  ) {
    channel.on('return', (message: Message) => {
      const id = String(message.properties.messageId);
      this.returned.set(id, (this.returned.get(id) ?? 0) + 1);
    });
    const onClosed = (err?: Error) => {
      this.closedError ??=
        err ?? new Error('channel closed before the broker confirmed the message');
      // Unblock senders: their messages fail through the confirm callbacks amqplib rejects.
      for (const wake of this.slotWaiters.splice(0)) wake();
    };
    channel.on('error', onClosed);
    channel.on('close', () => onClosed());
    amqp.on('error', () => undefined); // surfaced through the channel's close
  }

  static async open(
    connection: BrokerConnection,
    options: PublisherOptions,
  ): Promise<ConfirmingPublisher> {
    if (options.maxInFlight < 1) throw new Error('maxInFlight must be at least 1');
    const amqp = await connection.broker.connect(vhostFromUrl(connection.options.url));
    const channel = await new Promise<ConfirmChannel>((resolve, reject) => {
      amqp.createConfirmChannel((err, created) => (err ? reject(err) : resolve(created)));
    });
    return new ConfirmingPublisher(
      amqp,
      channel,
      connection.options.exchange,
      connection.options.routingKey,
      options,
    );
  }

  /** Resolves once the message is handed over (not confirmed): the outcome goes to `onSettled`. */
  async send(body: Buffer, send: SendOptions): Promise<void> {
    while (this.inFlight >= this.options.maxInFlight && !this.closedError) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    const { messageId } = send;
    if (this.closedError) {
      this.options.onSettled?.({ ok: false, messageId, error: this.closedError });
      return;
    }
    this.inFlight += 1;
    const writable = this.channel.publish(
      this.exchange,
      send.routingKey ?? this.defaultRoutingKey,
      body,
      { persistent: true, mandatory: true, messageId, contentType: 'application/json' },
      (err: unknown) => this.settle(messageId, err),
    );
    // The socket's buffer is full: wait until it drains rather than buffer without bound.
    if (!writable) await once(this.channel, 'drain');
  }

  /** Resolves when every message sent so far is confirmed or failed. */
  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve) => this.channel.close(() => resolve()));
    await new Promise<void>((resolve) => this.amqp.close(() => resolve()));
  }

  private settle(messageId: string, err: unknown): void {
    this.inFlight -= 1;
    const returns = this.returned.get(messageId) ?? 0;
    if (returns > 0) {
      if (returns === 1) this.returned.delete(messageId);
      else this.returned.set(messageId, returns - 1);
    }
    const outcome: PublishOutcome = err
      ? { ok: false, messageId, error: err instanceof Error ? err : new Error(String(err)) }
      : returns > 0
        ? {
            ok: false,
            messageId,
            error: new Error('message was returned: no queue is bound for its routing key'),
          }
        : { ok: true, messageId };
    this.options.onSettled?.(outcome);
    this.slotWaiters.shift()?.();
    if (this.inFlight === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
