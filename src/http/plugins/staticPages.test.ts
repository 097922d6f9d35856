import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../../test/support/backends';
import { startTestApp, type TestApp } from '../../../test/support/testApp';

describe('the timeline page files', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
  });
  afterAll(() => t.close());

  it('serves the page at / (with its query string) and its modules under /timeline/', async () => {
    const page = await t.app.inject('/?patient=avi123&from=2021-03-24T18:00:00Z');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script type="module" src="/timeline/main.js">');
    // Everything is local: no absolute URL to fetch a script or style from.
    expect(page.body).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await t.app.inject('/timeline/main.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    expect((await t.app.inject('/timeline/timeline.css')).headers['content-type']).toMatch(
      /^text\/css/,
    );
  });

  it('leaves unknown URLs to the API 404, with no catch-all route', async () => {
    for (const url of ['/timeline/missing.js', '/nothing', '/timeline/../package.json']) {
      const response = await t.app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error, url).toBe('not_found');
    }
  });
});
