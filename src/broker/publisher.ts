import type { PublicationSession } from 'rascal';
import type { BrokerConnection } from './connection';
import { PUBLICATION } from './topology';

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
 * Publishes persistent messages with publisher confirms, many at a time.
 * Rascal lends each message a confirm channel until it is confirmed, so the
 * confirm pool size (`publisherChannels`) is how many are really on the wire;
 * `maxInFlight` bounds memory and gives the caller backpressure.
 */
export class ConfirmingPublisher {
  private inFlight = 0;
  private slotWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly connection: BrokerConnection,
    private readonly options: PublisherOptions,
  ) {
    if (options.maxInFlight < 1) throw new Error('maxInFlight must be at least 1');
  }

  /** Resolves once the message is handed over (not confirmed): the outcome goes to `onSettled`. */
  async send(body: Buffer, send: SendOptions): Promise<void> {
    while (this.inFlight >= this.options.maxInFlight) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.inFlight += 1;
    void this.confirm(body, send).then((outcome) => {
      this.inFlight -= 1;
      this.options.onSettled?.(outcome);
      this.slotWaiters.shift()?.();
      if (this.inFlight === 0) this.releaseIdle();
    });
  }

  /** Resolves when every message sent so far is confirmed or failed. */
  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async confirm(body: Buffer, send: SendOptions): Promise<PublishOutcome> {
    const { messageId } = send;
    try {
      const session = await this.connection.broker.publish(PUBLICATION, body, {
        ...(send.routingKey === undefined ? {} : { routingKey: send.routingKey }),
        options: { messageId, contentType: 'application/json', persistent: true },
      });
      await confirmed(session);
      return { ok: true, messageId };
    } catch (err) {
      return { ok: false, messageId, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  private releaseIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Settles when the broker confirmed the message. A message no queue took is
 * returned (it is published as mandatory) before its confirm arrives, so a
 * return turns the later confirm into a failure: an unrouted event is lost.
 */
function confirmed(session: PublicationSession): Promise<void> {
  return new Promise((resolve, reject) => {
    let returned = false;
    session.on('return', () => {
      returned = true;
    });
    session.on('success', () => {
      if (returned)
        reject(new Error('message was returned: no queue is bound for its routing key'));
      else resolve();
    });
    session.on('error', (err) => reject(err));
    session.on('close', () =>
      reject(new Error('channel closed before the broker confirmed the message')),
    );
  });
}
