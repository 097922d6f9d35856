import type { Knex } from 'knex';
import { num } from '../report/format';
import { adminConnection } from './database';

/** What MariaDB is doing in the background: flushing pages, purging undo history. */
export interface DatabaseActivity {
  historyLength: number;
  /** Pages written out during the last poll interval. */
  pagesFlushedPerPoll: number;
}

export interface QuietOutcome {
  waitedS: number;
  before: DatabaseActivity;
  after: DatabaseActivity;
  /** false: the time limit passed first, and the scenario ran on a busy database. */
  quiet: boolean;
}

// An idle MariaDB may keep dirty pages for good (its page cleaner only works
// under redo or buffer pressure), so what counts is whether it is still
// writing: at most a few pages a second, and a short purge queue.
const QUIET = { pagesFlushedPerPoll: 8, historyLength: 1_000 };
const POLL_MS = 1_000;
/** Beyond this a scenario runs anyway, and the report says so. */
const LIMIT_S = 300;

async function readStatus(admin: Knex): Promise<{ flushed: number; history: number }> {
  const [status] = (await admin.raw(
    "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_flushed'",
  )) as [{ Value: string }[]];
  const [history] = (await admin.raw(
    "SELECT `count` AS n FROM information_schema.INNODB_METRICS WHERE name = 'trx_rseg_history_len'",
  )) as [{ n: number | string }[]];
  return {
    flushed: Number(status[0]?.Value ?? 0),
    history: Number(history[0]?.n ?? 0),
  };
}

/** Two status readings a poll interval apart. */
async function readActivity(admin: Knex): Promise<DatabaseActivity> {
  const first = await readStatus(admin);
  await new Promise((r) => setTimeout(r, POLL_MS));
  const second = await readStatus(admin);
  return {
    historyLength: second.history,
    pagesFlushedPerPoll: second.flushed - first.flushed,
  };
}

const isQuiet = (a: DatabaseActivity) =>
  a.pagesFlushedPerPoll <= QUIET.pagesFlushedPerPoll && a.historyLength <= QUIET.historyLength;

/**
 * Waits until MariaDB has stopped writing out and purging what earlier
 * scenarios wrote, so that a scenario is not timed while the server pays off
 * its predecessor's writes (after a large write it flushes for seconds).
 */
export async function waitForQuietDatabase(
  adminUrl: string,
  limitS: number,
): Promise<QuietOutcome> {
  const admin = adminConnection(adminUrl);
  const started = performance.now();
  try {
    const before = await readActivity(admin);
    let after = before;
    while (!isQuiet(after) && performance.now() - started < limitS * 1000) {
      after = await readActivity(admin);
    }
    return {
      waitedS: (performance.now() - started) / 1000,
      before,
      after,
      quiet: isQuiet(after),
    };
  } finally {
    await admin.destroy();
  }
}

/** The bench's waits for a quiet database, logged as they happen and summed up for the report. */
export function createQuietGate(adminUrl: string, log: (message: string) => void) {
  const waits: { before: string; outcome: QuietOutcome }[] = [];
  return {
    async wait(before: string): Promise<void> {
      const outcome = await waitForQuietDatabase(adminUrl, LIMIT_S);
      waits.push({ before, outcome });
      const { before: was, after } = outcome;
      log(
        `before ${before}: waited ${outcome.waitedS.toFixed(1)} s for MariaDB to settle ` +
          `(pages flushed a second ${was.pagesFlushedPerPoll} → ${after.pagesFlushedPerPoll}, ` +
          `purge history ${was.historyLength} → ${after.historyLength})` +
          (outcome.quiet ? '' : ', gave up'),
      );
    },
    describe(): string {
      if (waits.length === 0) return 'No scenario has run yet.';
      const longest = waits.reduce((a, w) => (w.outcome.waitedS > a.outcome.waitedS ? w : a));
      const busy = waits.filter((w) => !w.outcome.quiet).map((w) => w.before);
      return (
        'Before each scenario, between replay and reads, and between ingest runs and lag runs, the bench waits ' +
        `until MariaDB has stopped writing out pages (≤ ${QUIET.pagesFlushedPerPoll} a second) ` +
        `and purged its undo history (≤ ${num(QUIET.historyLength)}), so that no scenario is ` +
        `timed while the server still works off its predecessor's writes; at most ${LIMIT_S} s. This run waited ` +
        `${num(
          waits.reduce((s, w) => s + w.outcome.waitedS, 0),
          1,
        )} s in all, longest ` +
        `${num(longest.outcome.waitedS, 1)} s (before ${longest.before}, while it flushed ` +
        `${num(longest.outcome.before.pagesFlushedPerPoll)} pages a second)` +
        (busy.length > 0 ? `; the limit passed before: ${busy.join(', ')}.` : '.')
      );
    },
  };
}
