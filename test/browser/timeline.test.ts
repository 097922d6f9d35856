import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/http/app';
import { sqliteBackend, type TestDatabase } from '../support/backends';
import { TEST_CONFIG, loadDeviceSample } from '../support/testApp';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, type Browser } from './chromium';

const TOKEN = 'timeline-test-token';
const ARTIFACTS = path.resolve(__dirname, '../../test-results');

// Without Chromium the suite is skipped with a warning, except under CI, where it must fail.
const requireChromium = process.env.CI === 'true';
if (!chromiumAvailable) {
  console.warn(`${CHROMIUM_PATH} is missing: apt-get install -y chromium chromium-driver`);
}

describe.skipIf(!chromiumAvailable && !requireChromium)('the timeline page in Chromium', () => {
  let database: TestDatabase;
  let app: App;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable) throw new Error(`${CHROMIUM_PATH} is missing; CI must install it`);
    database = await sqliteBackend.create();
    app = buildApp({ db: database.db, config: TEST_CONFIG, security: { apiTokens: [TOKEN] } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const posted = await fetch(`${base}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(loadDeviceSample()),
    });
    expect(((await posted.json()) as { accepted: number }).accepted).toBe(17);
    browser = await launchChromium();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('request', (request) => requested.push(request.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.destroy();
  });

  const texts = (selector: string) => page.locator(selector).allTextContents();
  const message = () => page.locator('#message').textContent();
  const urlParams = () => new URL(page.url()).searchParams;
  const showPatient = async (patient: string) => {
    await page.fill('#patient', patient);
    await page.click('#patient-form button[type=submit]');
  };

  it('asks for the token on a 401, then shows avi123 with it', async () => {
    await page.goto(`${base}/?patient=avi123`);
    await page.locator('#message', { hasText: '401' }).waitFor();
    expect(await message()).toMatch(/needs a valid API token \(HTTP 401\)/);
    expect(await page.evaluate('document.activeElement.id')).toBe('token');

    await page.fill('#token', TOKEN);
    await page.click('#patient-form button[type=submit]');
    await page.locator('.lane').first().waitFor();
    expect(await page.evaluate("sessionStorage.getItem('medication-periods.api-token')")).toBe(
      TOKEN,
    );
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-avi123.png'), fullPage: true });
  });

  it('draws one lane per medication, every period as a bar, ongoing ones marked', async () => {
    expect(await texts('.lane-label')).toEqual(['Acamol', 'Multivitamin', 'Propecia', 'Zinc']);
    expect(await page.locator('.bar').count()).toBe(5);
    const lane = (name: string) => page.locator(`.lane[data-medication="${name}"]`);
    expect(await lane('Propecia').locator('.bar').count()).toBe(3);
    expect(await lane('Acamol').locator('.bar').count()).toBe(1);
    expect(await lane('Zinc').locator('.bar').count()).toBe(0);
    const active = page.locator('.bar--active');
    expect(await active.count()).toBe(2);
    expect(await lane('Multivitamin').locator('.bar--active').count()).toBe(1);
    const lastPropecia = lane('Propecia').locator('.bar').last();
    expect(await lastPropecia.getAttribute('data-start')).toBe('2021-03-25T09:00:56.000Z');
    expect(await lastPropecia.getAttribute('class')).toMatch(/bar--active/);
    expect(await lastPropecia.getAttribute('title')).toMatch(/ongoing since .* \(still active\)/);
  });

  it('marks the Zinc anomaly with its explanation in the title', async () => {
    const markers = page.locator('.anomaly');
    expect(await markers.count()).toBe(1);
    const zinc = page.locator('.lane[data-medication="Zinc"] .anomaly');
    expect(await zinc.getAttribute('data-code')).toBe('unmatched_stop');
    expect(await zinc.getAttribute('title')).toMatch(
      /unmatched_stop .*stop with no active period; ignored.*stop at 24 Mar 2021, 23:15:56/,
    );
  });

  it('lists the same data in tables', async () => {
    const rows = await texts('.periods-table tbody tr');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toBe('Propecia24 Mar 2021, 18:23:5624 Mar 2021, 19:23:561 hcompleted');
    expect(rows[3]).toMatch(/^Multivitamin24 Mar 2021, 23:15:56——ongoing \(active\)$/);
    expect(await texts('.anomalies-table tbody tr')).toEqual([
      'Zinc24 Mar 2021, 23:15:56 (stop)unmatched_stopstop with no active period; ignored',
    ]);
  });

  it('holds patient and range in the URL, and zooms into it', async () => {
    expect(urlParams().get('patient')).toBe('avi123');
    const from = Date.parse(urlParams().get('from') ?? '');
    const to = Date.parse(urlParams().get('to') ?? '');
    expect(from).toBeLessThan(Date.parse('2021-03-24T18:23:56Z'));
    expect(to).toBeGreaterThan(Date.parse('2021-03-25T09:00:56Z'));
    await page.click('[data-action="zoom-in"]');
    const zoomed = Date.parse(urlParams().get('to')!) - Date.parse(urlParams().get('from')!);
    expect(zoomed).toBe(Math.round((to - from) / 2));
    await page.focus('#chart');
    await page.keyboard.press('0');
    expect(Date.parse(urlParams().get('from')!)).toBe(from);
  });

  it('opens a shared URL on its range', async () => {
    await page.goto(`${base}/?patient=avi123&from=2021-03-24T18:00:00Z&to=2021-03-24T20:00:00Z`);
    await page.locator('.lane').first().waitFor();
    expect(await page.locator('.bar').count()).toBe(3);
    expect(await page.locator('.anomaly').count()).toBe(0);
    // Chromium drops zero seconds from a datetime-local value.
    expect(await page.inputValue('#range-from')).toMatch(/^2021-03-24T18:00(:00)?$/);
    expect(await texts('.periods-table tbody tr')).toHaveLength(3);
  });

  it('shows a zero-length period as a visible marker', async () => {
    await showPatient('moshe123');
    await page.locator('.lane[data-medication="Dexamol"]').waitFor();
    const box = await page.locator('.bar--instant').boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(8);
    expect(urlParams().get('patient')).toBe('moshe123');
  });

  it('says so for an unknown patient', async () => {
    await showPatient('nobody');
    await page.locator('#message', { hasText: 'No periods' }).waitFor();
    expect(await message()).toMatch(/No periods and no anomalies for patient “nobody”/);
    expect(await page.locator('#view').isHidden()).toBe(true);
  });

  it('reports a rejected token as a 401 again', async () => {
    await page.fill('#token', 'wrong');
    await showPatient('avi123');
    await page.locator('#message', { hasText: '401' }).waitFor();
    expect(await page.locator('#message').getAttribute('class')).toMatch(/message--error/);
  });

  it('loaded nothing from anywhere but the service', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(base) && !url.startsWith('data:'))).toEqual(
      [],
    );
  });
});
