import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteTopology,
  shouldRunBrokerTests,
  uniqueBrokerOptions,
} from '../../test/support/broker';
import { connectBroker } from './connection';
import { loadAmqpTls } from './tlsFiles';
import { buildTopology, vhostFromUrl } from './topology';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amqp-tls-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
const hasOpenssl = (() => {
  try {
    openssl('version');
    return true;
  } catch {
    return false;
  }
})();

/** A CA, a server certificate for localhost and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  for (const name of ['server', 'client']) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name === 'server' ? 'localhost' : 'consumer'}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    );
    fs.writeFileSync(
      file(`${name}.ext`),
      name === 'server'
        ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\n'
        : 'extendedKeyUsage=clientAuth\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    );
  }
}

describe('AMQP TLS options', () => {
  it('reads the PEM files once and names the variable of a missing one', () => {
    expect(loadAmqpTls({})).toBeUndefined();
    expect(() => loadAmqpTls({ AMQP_CA_FILE: '/nonexistent/ca.pem' })).toThrow(
      /^AMQP_CA_FILE: cannot read \/nonexistent\/ca.pem \(ENOENT\)/,
    );
    expect(() => loadAmqpTls({ AMQP_CERT_FILE: __filename })).toThrow(/go together/);
  });

  it('puts CA, certificate and key into the socket options rascal hands to amqplib', () => {
    const tlsOptions = {
      ca: Buffer.from('CA'),
      cert: Buffer.from('CERT'),
      key: Buffer.from('KEY'),
    };
    const options = uniqueBrokerOptions('tls-config', {
      url: 'amqps://u:p@rabbit.example:5671/v',
      tls: tlsOptions,
    });
    const vhost = buildTopology(options).vhosts?.[vhostFromUrl(options.url)];
    const connection = vhost?.connection as { url: string; socketOptions: Record<string, unknown> };
    expect(connection.url).toBe('amqps://u:p@rabbit.example:5671/v');
    expect(connection.socketOptions).toMatchObject({
      ...tlsOptions,
      clientProperties: { connection_name: options.connectionName },
    });
  });
});

// Under CI a missing openssl fails the suite (in makeCertificates) instead of skipping it.
const skipTlsEndpoint = (!hasOpenssl && process.env.CI !== 'true') || !shouldRunBrokerTests();

describe.skipIf(skipTlsEndpoint)(
  'amqps:// against a TLS endpoint that demands a client certificate',
  () => {
    let server: tls.Server;
    let port = 0;
    beforeAll(async () => {
      makeCertificates();
      // TLS terminated here, plain AMQP behind it: RabbitMQ sees an ordinary client.
      server = tls.createServer(
        {
          key: fs.readFileSync(file('server.key')),
          cert: fs.readFileSync(file('server.pem')),
          ca: fs.readFileSync(file('ca.pem')),
          requestCert: true,
          rejectUnauthorized: true,
        },
        (socket) => {
          const upstream = net.connect(5672, '127.0.0.1');
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        },
      );
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const connect = (files: Parameters<typeof loadAmqpTls>[0]) =>
      connectBroker({
        options: uniqueBrokerOptions('tls', {
          url: `amqps://guest:guest@localhost:${port}`,
          tls: loadAmqpTls(files),
        }),
        connectTimeoutMs: 5_000,
      });

    it('connects with AMQP_CA_FILE, AMQP_CERT_FILE and AMQP_KEY_FILE', async () => {
      const connection = await connect({
        AMQP_CA_FILE: file('ca.pem'),
        AMQP_CERT_FILE: file('client.pem'),
        AMQP_KEY_FILE: file('client.key'),
      });
      try {
        expect(connection.isConnected()).toBe(true);
      } finally {
        await connection.close();
        // The connection declared a topology of its own; leave nothing behind.
        await deleteTopology(connection.options);
      }
    });

    it('fails without the CA (the server certificate is not trusted)', async () => {
      await expect(
        connect({ AMQP_CERT_FILE: file('client.pem'), AMQP_KEY_FILE: file('client.key') }),
      ).rejects.toThrow();
    });

    it('fails without a client certificate', async () => {
      await expect(connect({ AMQP_CA_FILE: file('ca.pem') })).rejects.toThrow();
    });
  },
);
