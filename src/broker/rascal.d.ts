/**
 * Types for the part of rascal (v21) this project uses. Rascal ships no
 * declarations and the community ones describe v10, so these are written
 * against rascal's README and source; extend them here when using more of it.
 */
declare module 'rascal' {
  import type { EventEmitter } from 'node:events';
  import type { Message, Options } from 'amqplib';
  import type { Connection as CallbackConnection } from 'amqplib/callback_api';

  export interface RetryConfig {
    min?: number;
    max?: number;
    factor?: number;
    strategy?: 'exponential' | 'linear';
    delay?: number;
  }

  export interface ConnectionConfig {
    url?: string;
    options?: Record<string, string | number>;
    /** Handed to amqplib's connect, e.g. `clientProperties.connection_name`. */
    socketOptions?: {
      timeout?: number;
      /** TCP_NODELAY on the socket (amqplib's default is false: Nagle on). */
      noDelay?: boolean;
      clientProperties?: Record<string, string>;
    };
    retry?: RetryConfig;
  }

  export interface ChannelPoolConfig {
    max?: number;
    min?: number;
    autostart?: boolean;
    acquireTimeoutMillis?: number;
    evictionRunIntervalMillis?: number;
    idleTimeoutMillis?: number;
  }

  export interface ExchangeConfig {
    assert?: boolean;
    check?: boolean;
    type?: 'direct' | 'topic' | 'fanout' | 'headers';
    options?: Options.AssertExchange;
  }

  export interface QueueConfig {
    assert?: boolean;
    check?: boolean;
    purge?: boolean;
    options?: Options.AssertQueue;
  }

  export interface BindingConfig {
    source: string;
    destination: string;
    destinationType?: 'queue' | 'exchange';
    bindingKey?: string;
  }

  export interface PublicationConfig {
    vhost?: string;
    exchange?: string;
    queue?: string;
    routingKey?: string;
    confirm?: boolean;
    /** Milliseconds to wait for a confirm; 0 waits forever. */
    timeout?: number;
    options?: Options.Publish;
  }

  export interface SubscriptionConfig {
    vhost?: string;
    queue?: string;
    /** Overrides the message's own content type when decoding. */
    contentType?: string;
    prefetch?: number;
    retry?: RetryConfig | boolean;
    /** How long `cancel()` waits for unacknowledged messages, ms. */
    closeTimeout?: number;
    options?: Options.Consume;
  }

  export interface VhostConfig {
    connection?: ConnectionConfig;
    publicationChannelPools?: { regularPool?: ChannelPoolConfig; confirmPool?: ChannelPoolConfig };
    exchanges?: Record<string, ExchangeConfig>;
    queues?: Record<string, QueueConfig>;
    bindings?: Record<string, BindingConfig>;
    publications?: Record<string, PublicationConfig>;
    subscriptions?: Record<string, SubscriptionConfig>;
  }

  export interface BrokerConfig {
    vhosts: Record<string, VhostConfig>;
    defaults?: { vhosts?: { connection?: ConnectionConfig } };
  }

  export interface Recovery {
    strategy: 'ack' | 'nack' | 'republish' | 'forward';
    requeue?: boolean;
    defer?: number;
  }

  /**
   * Settles one message. With a callback, failures (such as a closed channel)
   * reach the callback instead of being emitted as subscription errors.
   */
  export interface AckOrNack {
    (): void;
    (callback: (err?: Error | null) => void): void;
    (err: Error, recovery?: Recovery | Recovery[], callback?: (err?: Error | null) => void): void;
  }

  export interface ConnectionDetails {
    vhost: string;
    connectionUrl: string;
  }

  export class SubscriberSessionAsPromised extends EventEmitter {
    readonly name: string;
    cancel(): Promise<void>;
    on(
      event: 'message',
      listener: (message: Message, content: unknown, ackOrNack: AckOrNack) => void,
    ): this;
    on(
      event: 'invalid_content' | 'redeliveries_exceeded' | 'redeliveries_error',
      listener: (err: Error, message: Message, ackOrNack: AckOrNack) => void,
    ): this;
    on(event: 'error' | 'cancel', listener: (err: Error) => void): this;
    on(event: 'subscribed' | 'close', listener: () => void): this;
  }

  export class PublicationSession extends EventEmitter {
    on(event: 'success' | 'close' | 'paused', listener: (messageId: string) => void): this;
    on(event: 'error', listener: (err: Error, messageId: string) => void): this;
    on(event: 'return', listener: (message: Message) => void): this;
    abort(): void;
  }

  export interface PublishOverrides {
    routingKey?: string;
    options?: Options.Publish;
  }

  export class BrokerAsPromised extends EventEmitter {
    static create(config: BrokerConfig): Promise<BrokerAsPromised>;
    publish(
      name: string,
      content: Buffer | string | object,
      overrides?: PublishOverrides,
    ): Promise<PublicationSession>;
    subscribe(name: string, overrides?: SubscriptionConfig): Promise<SubscriberSessionAsPromised>;
    shutdown(): Promise<void>;
    /** A new connection of rascal's own (amqplib's callback API) to a vhost; the caller closes it. */
    connect(vhost: string): Promise<CallbackConnection>;
    getConnections(): ConnectionDetails[];
    on(event: 'error', listener: (err: Error, details?: ConnectionDetails) => void): this;
    on(event: 'connect' | 'disconnect', listener: () => void): this;
    on(
      event: 'vhost_initialised' | 'close' | 'unblocked',
      listener: (details: ConnectionDetails) => void,
    ): this;
    on(event: 'blocked', listener: (reason: string, details: ConnectionDetails) => void): this;
  }

  export function withDefaultConfig(config: BrokerConfig): BrokerConfig;
}
