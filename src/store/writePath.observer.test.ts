import { afterEach, describe, expect, it } from 'vitest';
import { sqliteBackend, type TestDatabase } from '../../test/support/backends';
import { loadDeviceSample } from '../../test/support/deviceSample';
import { listPeriods } from './periodsRepository';
import { ingest, type CommittedWrite, type WriteObserver } from './writePath';

// The observer's contract does not depend on the database: SQLite in memory suffices.

const asItems = (payloads: unknown[]) => payloads.map((payload) => ({ payload }));

function recordingObserver(): WriteObserver & { writes: CommittedWrite[] } {
  const writes: CommittedWrite[] = [];
  return { writes, onCommitted: (write) => void writes.push(write) };
}

describe('ingest with an observer', () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  it('reports each committed call once: counts, reasons, times', async () => {
    t = await sqliteBackend.create();
    const observer = recordingObserver();
    const receivedAt = Date.now() - 5_000;
    const result = await ingest(t.db, asItems(loadDeviceSample()), {
      source: 'amqp',
      receivedAt,
      observer,
    });
    expect(observer.writes).toHaveLength(1);
    const write = observer.writes[0]!;
    expect(write).toMatchObject({ source: 'amqp', accepted: 17, duplicates: 0, receivedAt });
    expect(write.rejected).toEqual(result.rejected.map((r) => r.reason));
    expect(write.rejected).toContain('invalid_action');
    expect(write.projectionMs).toBeGreaterThan(0);
    expect(write.durationMs).toBeGreaterThanOrEqual(write.projectionMs);
    expect(write.committedAt - write.receivedAt).toBeGreaterThanOrEqual(5_000);
  });

  it('reports duplicates, and no projection time when nothing was appended', async () => {
    t = await sqliteBackend.create();
    await ingest(t.db, asItems(loadDeviceSample()), { source: 'http' });
    const observer = recordingObserver();
    await ingest(t.db, asItems(loadDeviceSample()), { source: 'http', observer });
    expect(observer.writes[0]).toMatchObject({ accepted: 0, duplicates: 17, projectionMs: 0 });
  });

  it('is not called when the transaction fails', async () => {
    t = await sqliteBackend.create({ migrate: false });
    const observer = recordingObserver();
    await expect(
      ingest(t.db, asItems(loadDeviceSample()), { source: 'http', observer }),
    ).rejects.toThrow();
    expect(observer.writes).toEqual([]);
  });

  it('still resolves, with the data committed, when the observer throws', async () => {
    t = await sqliteBackend.create();
    const observer: WriteObserver = {
      onCommitted() {
        throw new Error('metrics broke');
      },
    };
    const result = await ingest(t.db, asItems(loadDeviceSample()), { source: 'http', observer });
    expect(result.accepted).toBe(17);
    expect(await listPeriods(t.db, 'moshe123', {})).toHaveLength(1);
  });
});
