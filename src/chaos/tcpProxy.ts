import net from 'node:net';

/**
 * A TCP proxy in front of a real service, which a test can cut (refusing and
 * dropping every connection, as a crashed or unreachable server would) and
 * restore, without disturbing anything else that uses the service.
 */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let port = 0;
  const makeServer = () =>
    net.createServer((client) => {
      const upstream = net.connect(target);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: net.Server, on: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(on, '127.0.0.1', () => resolve());
    });
  const stop = (server: net.Server) =>
    new Promise<void>((resolve) => server.close(() => resolve()));

  let server: net.Server | null = makeServer();
  await listen(server, 0);
  port = (server.address() as net.AddressInfo).port;
  const cut = async () => {
    const closing = server ? stop(server) : Promise.resolve();
    server = null;
    for (const s of sockets) s.destroy();
    await closing;
  };
  return {
    port,
    cut,
    async restore() {
      if (server) return;
      server = makeServer();
      await listen(server, port);
    },
    close: cut,
  };
}
