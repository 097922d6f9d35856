import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config';

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT when set; otherwise pretty for a person at a terminal and JSON
 * for everything else (a pipe, a container's log collector).
 */
export function resolveLogFormat(configured: LogFormat | undefined, isTTY: boolean): LogFormat {
  return configured ?? (isTTY ? 'pretty' : 'json');
}

/**
 * Pretty printing runs in pino's transport worker, off the event loop. It
 * changes how lines look, never what they hold: the same fields, at the same
 * levels, so nothing is shown in pretty mode that JSON would not carry.
 */
export function loggerOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  isTTY: boolean,
): LoggerOptions {
  const options: LoggerOptions = { level: config.LOG_LEVEL };
  if (resolveLogFormat(config.LOG_FORMAT, isTTY) === 'pretty') {
    options.transport = {
      target: 'pino-pretty',
      options: { colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    };
  }
  return options;
}

/** The process's one logger, shared by the API (through Fastify) and the broker. */
export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  isTTY = process.stdout.isTTY === true,
): Logger {
  const options = loggerOptions(config, isTTY);
  if (options.transport) return pino(options);
  // Synchronous writes: with pino's default background stream, a stop's first
  // line was seen to land after the lines behind it when the process exited.
  return pino(options, pino.destination({ dest: process.stdout.fd, sync: true }));
}
