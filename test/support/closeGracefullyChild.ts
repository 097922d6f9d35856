/**
 * A process that stops through closeGracefully, for its test. argv: the mode
 * and the shutdown timeout in ms. Modes: `steps` (two groups of steps that
 * log their names), `hang` (a step that never finishes), `throw` (an uncaught
 * exception after start), `reject` (a rejection with no reason after start).
 * Logs JSON lines to stdout.
 */
import { createLogger } from '../../src/logging';
import { closeGracefully } from '../../src/runtime/closeGracefully';

const [mode, timeoutMs] = process.argv.slice(2);
const log = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
const shutdown = closeGracefully(log, Number(timeoutMs));
const step = (name: string) => async () => {
  log.info(name);
  if (mode === 'hang') await new Promise(() => {});
};
shutdown.onStop(step('first started, stops last'));
shutdown.onStop(step('second started, a'), step('second started, b'));
// Keeps the process alive until it is stopped.
setInterval(() => {}, 60_000);
log.info('ready');
if (mode === 'throw')
  setTimeout(() => {
    throw new Error('boom');
  }, 10);
if (mode === 'reject') setTimeout(() => void Promise.reject(), 10);
