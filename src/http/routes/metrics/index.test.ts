import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../metrics';
import { sampleValue } from '../../../../test/support/metrics';
import { sqliteBackend } from '../../../../test/support/backends';
import {
  loadDeviceSample,
  postEvents,
  startTestApp,
  type TestApp,
} from '../../../../test/support/testApp';

const SERIES = [
  'events_accepted_total',
  'events_duplicate_total',
  'events_rejected_total',
  'write_path_duration_seconds',
  'projection_duration_seconds',
  'projection_lag_seconds',
  'http_request_duration_seconds',
  'consumer_batch_size',
  // Two of prom-client's process defaults, standing for all of them.
  'process_cpu_user_seconds_total',
  'nodejs_eventloop_lag_seconds',
];

describe('GET /metrics', () => {
  let t: TestApp;
  const scrape = async () => (await t.app.inject('/metrics')).body;
  beforeAll(async () => {
    t = await startTestApp(sqliteBackend);
  });
  afterAll(() => t.close());

  it('answers in the Prometheus text format with every named series', async () => {
    const response = await t.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of SERIES) expect(response.body).toContain(`# TYPE ${name} `);
  });

  it('moves the event and write-path series when the device sample is posted', async () => {
    const before = await scrape();
    const http = { source: 'http' };
    const at = (text: string, name: string, labels: Record<string, string> = http) =>
      sampleValue(text, name, labels) ?? 0;
    const rejectedBy = (text: string, reason: string) =>
      at(text, 'events_rejected_total', { source: 'http', reason });

    await postEvents(t.app, loadDeviceSample());
    await postEvents(t.app, loadDeviceSample());
    const after = await scrape();

    expect(at(after, 'events_accepted_total') - at(before, 'events_accepted_total')).toBe(17);
    expect(at(after, 'events_duplicate_total') - at(before, 'events_duplicate_total')).toBe(17);
    expect(rejectedBy(after, 'missing_up_id') - rejectedBy(before, 'missing_up_id')).toBe(4);
    expect(rejectedBy(after, 'invalid_action') - rejectedBy(before, 'invalid_action')).toBe(2);
    const count = (text: string, name: string, labels?: Record<string, string>) =>
      at(text, `${name}_count`, labels);
    expect(
      count(after, 'write_path_duration_seconds') - count(before, 'write_path_duration_seconds'),
    ).toBe(2);
    // The second post appended nothing: no projection, no lag to observe.
    expect(count(after, 'projection_duration_seconds', {})).toBe(1);
    expect(count(after, 'projection_lag_seconds', {})).toBe(1);
  });

  it('times requests by route pattern and status, never by the URL with the patient id', async () => {
    await t.app.inject('/api/v1/medication_periods/avi123');
    await t.app.inject('/api/v1/medication_periods/avi123?satus=active');
    await t.app.inject('/api/v1/nowhere/moshe123');
    const text = await scrape();
    const count = (labels: Record<string, string>) =>
      sampleValue(text, 'http_request_duration_seconds_count', labels);
    const periods = { method: 'GET', route: '/api/v1/medication_periods/:up_id' };
    expect(count({ ...periods, status_code: '200' })).toBe(1);
    expect(count({ ...periods, status_code: '400' })).toBe(1);
    expect(count({ method: 'POST', route: '/api/v1/events', status_code: '200' })).toBe(2);
    expect(count({ method: 'GET', route: '(no route)', status_code: '404' })).toBe(1);
    expect(text).not.toMatch(/avi123|moshe123/);
  });
});

describe('metrics given to buildApp', () => {
  it('are the ones the app feeds and serves, so main.ts can share them with the consumer', async () => {
    const metrics = createMetrics();
    const t = await startTestApp(sqliteBackend, { metrics });
    try {
      metrics.consumerBatchSize.observe(7);
      await postEvents(t.app, loadDeviceSample());
      const own = await metrics.registry.metrics();
      expect(sampleValue(own, 'events_accepted_total', { source: 'http' })).toBe(17);
      const served = (await t.app.inject('/metrics')).body;
      expect(sampleValue(served, 'consumer_batch_size_sum')).toBe(7);
    } finally {
      await t.close();
    }
  });
});
