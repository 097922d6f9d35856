import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../test/support/backends';
import { startTestApp, type TestApp } from '../../test/support/testApp';

/** Sends raw bytes, half-closes, and returns everything the server wrote back. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parse(answer: string) {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i).toLowerCase(), line.slice(i + 1).trim()];
    }),
  );
  return { statusLine, headers, body };
}

describe('requests the HTTP parser refuses', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it.each([
    ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'],
    [
      'a body cut short of its Content-Length',
      'POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n[]',
    ],
  ])(
    'given %s, when sent, then the answer is a 400 invalid_request with a request id and the security headers',
    async (_what, bytes) => {
      const { statusLine, headers, body } = parse(await rawRequest(port, bytes));
      expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
      expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(headers['x-content-type-options']).toBe('nosniff');
      const parsed = JSON.parse(body) as { error: string; message: string };
      expect(parsed.error).toBe('invalid_request');
      expect(parsed.message).toMatch(/^the request is not valid HTTP\/1\.1 \(HPE_[A-Z_]+\)$/);
      expect(Object.keys(parsed)).toEqual(['error', 'message']);
    },
  );

  it('given headers over the server limit, when sent, then the answer is a 431 headers_too_large', async () => {
    const huge = `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
    const { statusLine, headers, body } = parse(await rawRequest(port, huge));
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(body)).toEqual({
      error: 'headers_too_large',
      message: 'the request headers are larger than the server accepts',
    });
  });
});
