import { describe, expect, it } from 'vitest';
import { resolveBrokerOptions } from './options';
import { buildTopology, vhostFromUrl } from './topology';

describe('resolveBrokerOptions', () => {
  it('derives the dead-letter names from the queue', () => {
    const options = resolveBrokerOptions({ queue: 'q1' });
    expect(options.deadLetterExchange).toBe('q1.dlx');
    expect(options.deadLetterQueue).toBe('q1.dead-letter');
  });

  it('ignores undefined overrides', () => {
    expect(resolveBrokerOptions({ prefetch: undefined }).prefetch).toBe(1000);
  });

  it('refuses a batch larger than the prefetch', () => {
    expect(() => resolveBrokerOptions({ prefetch: 10, batchSize: 11 })).toThrow(/exceed prefetch/);
  });

  it('refuses non-positive numbers', () => {
    expect(() => resolveBrokerOptions({ deliveryLimit: 0 })).toThrow(/deliveryLimit/);
  });

  it('refuses a message size limit past what one row may hold, and takes the ceiling itself', () => {
    expect(() => resolveBrokerOptions({ maxMessageBytes: 4 * 1024 * 1024 + 1 })).toThrow(
      /maxMessageBytes must be at most 4194304/,
    );
    expect(resolveBrokerOptions({ maxMessageBytes: 4 * 1024 * 1024 }).maxMessageBytes).toBe(
      4 * 1024 * 1024,
    );
  });
});

describe('vhostFromUrl', () => {
  it.each([
    ['amqp://h', '/'],
    ['amqp://h/', '/'],
    ['amqp://h/%2F', '/'],
    ['amqp://u:p@h:5672/events', 'events'],
    ['amqps://h/a%2Fb', 'a/b'],
  ])('%s is vhost %s', (url, vhost) => {
    expect(vhostFromUrl(url)).toBe(vhost);
  });
});

describe('buildTopology', () => {
  it('declares a quorum queue with a delivery limit that dead-letters to its own queue', () => {
    const options = resolveBrokerOptions({ url: 'amqp://h/v1', queue: 'q', deliveryLimit: 7 });
    const vhost = buildTopology(options).vhosts['v1'];
    expect(vhost?.queues?.['q']?.options?.arguments).toMatchObject({
      'x-queue-type': 'quorum',
      'x-delivery-limit': 7,
      'x-dead-letter-exchange': 'q.dlx',
    });
    expect(vhost?.bindings).toMatchObject({
      deadLetters: { source: 'q.dlx', destination: 'q.dead-letter' },
    });
  });
});
