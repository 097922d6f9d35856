import type { Knex } from 'knex';
import { appendEvents } from './appendEvents';
import { classifyItems } from './classifyItems';
import { lockStreams } from './lockStreams';
import { refreshPatientPeriodLists } from './patientPeriodLists';
import { projectStoredStreams } from './projectStoredStreams';
import { recordRejections } from './recordRejections';
import { distinctStreamsInLockOrder } from './streamKeys';
import type { IncomingItem, RejectedItem, Source, WriteResult } from './types';
import { withWriteTransaction } from './writeTransaction';

/** What one committed ingest call did and how long it took; all times epoch ms, durations ms. */
export interface CommittedWrite {
  source: Source;
  accepted: number;
  duplicates: number;
  /** Duplicates by event_id whose content differs from the logged event's. */
  eventIdConflicts: number;
  /** One reason per rejected item. */
  rejected: RejectedItem['reason'][];
  /** The whole call, validation to commit. */
  durationMs: number;
  /** The re-projection of the affected streams (0 when nothing was appended). */
  projectionMs: number;
  receivedAt: number;
  committedAt: number;
  /** Patients whose periods this write may have changed (those with newly appended events). */
  changedPatients: string[];
}

/**
 * Watches the write path without the store knowing what watches it (metrics,
 * in practice). Called once per call, after the commit; never on a rollback.
 */
export interface WriteObserver {
  onCommitted(write: CommittedWrite): void;
}

export interface IngestOptions {
  source: Source;
  /** Defaults to now; tests pin it. Epoch ms. */
  receivedAt?: number;
  /** Streams with at least this many events are re-projected incrementally (tests lower it). */
  incrementalFromEvents?: number;
  observer?: WriteObserver;
}

/** Several observers as one (metrics, read-cache invalidation, …). */
export function composeObservers(...observers: (WriteObserver | undefined)[]): WriteObserver {
  return {
    onCommitted(write) {
      for (const observer of observers) notify(observer, write);
    },
  };
}

/** The data is committed by then: a failing observer must not make the caller redeliver it. */
function notify(observer: WriteObserver | undefined, write: CommittedWrite): void {
  try {
    observer?.onCommitted(write);
  } catch {
    // Deliberately ignored: losing one observation beats reporting a committed write as failed.
  }
}

/**
 * The one write path of every ingest route: validate, lock every affected
 * stream, append idempotently, re-project, record rejections; all in one
 * transaction, so a caller that sees it resolve may acknowledge its input.
 */
export async function ingest(
  db: Knex,
  items: readonly IncomingItem[],
  options: IngestOptions,
): Promise<WriteResult> {
  const started = performance.now();
  const receivedAt = options.receivedAt ?? Date.now();
  const context = { source: options.source, receivedAt };
  const { accepted, rejected } = classifyItems(items);
  let projectionMs = 0;
  let changedPatients: string[] = [];
  let eventIdConflicts = 0;

  const result = await withWriteTransaction(db, async (trx) => {
    const eventCounts = await lockStreams(
      trx,
      distinctStreamsInLockOrder(accepted.map((a) => a.event)),
    );
    const append = await appendEvents(trx, accepted, context);
    const { appended } = append;
    const projectionStarted = performance.now();
    const patches = await projectStoredStreams(
      trx,
      appended,
      eventCounts,
      Date.now(),
      options.incrementalFromEvents,
    );
    changedPatients = [...new Set(appended.map((e) => e.upId))];
    await refreshPatientPeriodLists(trx, changedPatients, { patches });
    // Set on every attempt, so after a retried transaction it is the committed one's.
    projectionMs = appended.length > 0 ? performance.now() - projectionStarted : 0;
    await recordRejections(trx, rejected, context);
    eventIdConflicts = append.eventIdConflicts;
    return {
      accepted: appended.length,
      duplicates: append.duplicates,
      rejected: rejected.map((r) => ({ index: r.index, ...r.rejection })),
    };
  });
  notify(options.observer, {
    source: options.source,
    accepted: result.accepted,
    duplicates: result.duplicates,
    eventIdConflicts,
    rejected: result.rejected.map((r) => r.reason),
    durationMs: performance.now() - started,
    projectionMs,
    receivedAt,
    committedAt: Date.now(),
    changedPatients,
  });
  return result;
}
