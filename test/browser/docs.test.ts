import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app';
import { sqliteBackend, type TestDatabase } from '../support/backends';
import { TEST_CONFIG } from '../support/testApp';
import { chromiumAvailable, launchChromium, type Browser } from './chromium';

// The CSP (src/http/plugins/securityHeaders.ts) must not break Swagger UI.
describe.skipIf(!chromiumAvailable && process.env.CI !== 'true')('Swagger UI under the CSP', () => {
  let database: TestDatabase;
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    app = buildApp({
      db: database.db,
      config: TEST_CONFIG,
      security: { apiTokens: ['docs-test-token-0123456789'] },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.destroy();
  });

  it('renders every operation at /docs with no CSP violation', async () => {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(`${base}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThanOrEqual(5);
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.close();
  });
});
