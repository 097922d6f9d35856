import type { Message } from 'amqplib';
import type { AckOrNack, SubscriberSessionAsPromised } from 'rascal';
import type { IncomingItem } from '../store/types';
import type { Batcher } from './batcher';
import { decodeMessageBody } from './decode';
import { describeError, type Logger } from './logger';

/** A message as the consumer batches it: decoded, with the means to settle it. */
export interface Delivery {
  message: Message;
  item: IncomingItem;
  ackOrNack: AckOrNack;
}

/**
 * Routes what a subscription emits: messages (and bodies rascal could not
 * decode) into the batcher, redeliveries past a limit to the dead-letter
 * queue, and cancellations and errors to the log.
 */
export function attachSubscriptionHandlers(
  subscription: SubscriberSessionAsPromised,
  batcher: Batcher<Delivery>,
  log: Logger,
  maxMessageBytes: number,
): void {
  subscription.on('message', (message, _content, ackOrNack) => {
    log.debug(
      { messageId: message.properties.messageId, bytes: message.content.length },
      'message received',
    );
    batcher.add({ message, item: decodeMessageBody(message.content, maxMessageBytes), ackOrNack });
  });
  // Raised only for bodies rascal itself fails to decode (e.g. an unknown
  // encryption profile); the raw bytes are still what was sent, so they take
  // the ordinary path and are recorded as whatever they turn out to be.
  subscription.on('invalid_content', (err, message, ackOrNack) => {
    log.warn(
      { ...describeError(err), messageId: message.properties.messageId },
      'undecodable message content',
    );
    batcher.add({ message, item: decodeMessageBody(message.content, maxMessageBytes), ackOrNack });
  });
  // Rascal's own redelivery counter is off (the quorum queue counts); should
  // one be configured, an exceeded limit goes to the dead-letter queue.
  const deadLetter = (err: Error, message: Message, ackOrNack: AckOrNack): void => {
    log.warn(
      { ...describeError(err), messageId: message.properties.messageId },
      'redelivery limit exceeded; dead-lettering',
    );
    ackOrNack(err, { strategy: 'nack' }, (nackErr) => {
      if (nackErr)
        log.warn(describeError(nackErr), 'could not dead-letter; the broker will redeliver');
    });
  };
  subscription.on('redeliveries_exceeded', deadLetter);
  subscription.on('redeliveries_error', deadLetter);
  subscription.on('cancel', (err) => {
    log.warn(
      describeError(err),
      'the broker cancelled the subscription (queue deleted or moved); resubscribing',
    );
  });
  subscription.on('error', (err) => {
    log.error(describeError(err), 'subscription error; rascal resubscribes on a new channel');
  });
}

/** Resolves once the consumer is registered with the broker; rejects if that failed. */
export function subscribed(subscription: SubscriberSessionAsPromised): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      subscription.off('subscribed', onSubscribed);
      reject(err);
    };
    const onSubscribed = (): void => {
      subscription.off('error', onError);
      resolve();
    };
    subscription.once('subscribed', onSubscribed);
    subscription.once('error', onError);
  });
}
