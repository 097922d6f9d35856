import fs from 'node:fs';
import type { AmqpTls } from './options';

export interface AmqpTlsFiles {
  AMQP_CA_FILE?: string;
  AMQP_CERT_FILE?: string;
  AMQP_KEY_FILE?: string;
}

/**
 * Reads the PEM files named by AMQP_CA_FILE, AMQP_CERT_FILE and AMQP_KEY_FILE
 * once, at start-up, so a missing file stops the process with a message
 * naming the variable (not a TLS error on the first reconnect). Undefined
 * when none is set: amqps:// then verifies against Node's public CAs.
 */
export function loadAmqpTls(files: AmqpTlsFiles): AmqpTls | undefined {
  const read = (variable: keyof AmqpTlsFiles): Buffer | undefined => {
    const path = files[variable];
    if (path === undefined) return undefined;
    try {
      return fs.readFileSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new Error(`${variable}: cannot read ${path} (${code})`);
    }
  };
  if ((files.AMQP_CERT_FILE === undefined) !== (files.AMQP_KEY_FILE === undefined)) {
    throw new Error(
      'AMQP_CERT_FILE and AMQP_KEY_FILE go together (a client certificate and its key)',
    );
  }
  const tls = {
    ca: read('AMQP_CA_FILE'),
    cert: read('AMQP_CERT_FILE'),
    key: read('AMQP_KEY_FILE'),
  };
  const given = Object.entries(tls).filter(([, v]) => v !== undefined);
  return given.length === 0 ? undefined : (Object.fromEntries(given) as AmqpTls);
}
