import { describe, expect, it } from 'vitest';
import type { CommittedWrite } from '../store/writePath';
import { createMetrics, metricsConsumerObserver, metricsWriteObserver } from '.';
import { sampleValue } from '../../test/support/metrics';

const write = (overrides: Partial<CommittedWrite> = {}): CommittedWrite => ({
  source: 'amqp',
  accepted: 3,
  duplicates: 2,
  eventIdConflicts: 1,
  rejected: ['missing_up_id', 'missing_up_id', 'invalid_action'],
  durationMs: 40,
  projectionMs: 10,
  receivedAt: 1_000,
  committedAt: 3_500,
  changedPatients: ['p1'],
  ...overrides,
});

describe('the metrics write observer', () => {
  it('counts events by source and rejections by reason, and times the call', async () => {
    const metrics = createMetrics();
    metricsWriteObserver(metrics).onCommitted(write());
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'events_accepted_total', { source: 'amqp' })).toBe(3);
    expect(sampleValue(text, 'events_duplicate_total', { source: 'amqp' })).toBe(2);
    expect(sampleValue(text, 'events_event_id_conflicts_total', { source: 'amqp' })).toBe(1);
    const rejected = (reason: string) =>
      sampleValue(text, 'events_rejected_total', { source: 'amqp', reason });
    expect([rejected('missing_up_id'), rejected('invalid_action')]).toEqual([2, 1]);
    expect(sampleValue(text, 'write_path_duration_seconds_sum', { source: 'amqp' })).toBe(0.04);
    expect(sampleValue(text, 'projection_duration_seconds_sum')).toBe(0.01);
    expect(sampleValue(text, 'projection_lag_seconds_sum')).toBe(2.5);
  });

  it('observes projection and lag only for calls that appended events', async () => {
    const metrics = createMetrics();
    metricsWriteObserver(metrics).onCommitted(write({ accepted: 0, projectionMs: 0 }));
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'write_path_duration_seconds_count', { source: 'amqp' })).toBe(1);
    expect(sampleValue(text, 'projection_duration_seconds_count')).toBe(0);
    expect(sampleValue(text, 'projection_lag_seconds_count')).toBe(0);
  });

  it('starts every known source and reason at zero, so rate() has a series to work on', async () => {
    const text = await createMetrics().registry.metrics();
    expect(sampleValue(text, 'events_accepted_total', { source: 'amqp' })).toBe(0);
    expect(
      sampleValue(text, 'events_rejected_total', { source: 'http', reason: 'payload_too_large' }),
    ).toBe(0);
    expect(sampleValue(text, 'events_event_id_conflicts_total', { source: 'http' })).toBe(0);
  });

  it('keeps registries apart, so many apps can live in one process', async () => {
    const [one, two] = [createMetrics(), createMetrics()];
    metricsWriteObserver(one).onCommitted(write());
    const text = await two.registry.metrics();
    expect(sampleValue(text, 'events_accepted_total', { source: 'amqp' })).toBe(0);
  });
});

describe('the metrics consumer observer', () => {
  it('observes each batch size', async () => {
    const metrics = createMetrics();
    const observer = metricsConsumerObserver(metrics);
    observer.onBatch(250);
    observer.onBatch(3);
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'consumer_batch_size_count')).toBe(2);
    expect(sampleValue(text, 'consumer_batch_size_sum')).toBe(253);
    expect(sampleValue(text, 'consumer_batch_size_bucket', { le: '5' })).toBe(1);
  });
});
