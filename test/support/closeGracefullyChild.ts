/**
 * A process that stops through closeGracefully, for its test. argv: the
 * mode (`error`: an uncaught error after start; `hang`: its one step never
 * finishes) and the shutdown timeout in ms. Logs JSON lines to stdout.
 */
import pino from 'pino';
import { closeGracefully } from '../../src/runtime/closeGracefully';

const [mode, timeoutMs] = process.argv.slice(2);
const log = pino();
closeGracefully(log, Number(timeoutMs), [
  async () => {
    log.info('step ran');
    if (mode === 'hang') await new Promise(() => {});
  },
]);
// Keeps the process alive until it is stopped.
setInterval(() => {}, 60_000);
log.info('ready');
if (mode === 'error')
  setTimeout(() => {
    throw new Error('boom');
  }, 10);
