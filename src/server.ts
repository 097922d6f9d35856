import type { App } from './http/app';

/** Listens; the returned close() stops accepting connections and lets requests in flight finish. */
export async function listen(app: App, host: string, port: number): Promise<() => Promise<void>> {
  await app.listen({ host, port });
  return () => app.close();
}
