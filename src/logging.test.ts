import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { createLogger, loggerOptions, resolveLogFormat } from './logging';

describe('the log format', () => {
  it.each([
    [undefined, true, 'pretty'],
    [undefined, false, 'json'],
    ['json', true, 'json'],
    ['pretty', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s with a terminal=%s is %s', (configured, isTTY, expected) => {
    expect(resolveLogFormat(configured, isTTY)).toBe(expected);
  });

  it('pretty-prints through the pino-pretty transport, and JSON has no transport', () => {
    const pretty = loggerOptions({ LOG_LEVEL: 'debug', LOG_FORMAT: undefined }, true);
    expect(pretty).toMatchObject({ level: 'debug', transport: { target: 'pino-pretty' } });
    expect(
      loggerOptions({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, true).transport,
    ).toBeUndefined();
    expect(() => require.resolve('pino-pretty')).not.toThrow();
  });

  it('is read from LOG_FORMAT, and a bad value stops the start naming the variable', () => {
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(loadConfig({}).LOG_FORMAT).toBeUndefined();
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('makes a logger at the configured level', () => {
    const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }, false);
    expect(logger.level).toBe('warn');
  });
});
