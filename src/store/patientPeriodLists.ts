import type { Knex } from 'knex';
import { dialectOf } from './db';
import { renderPeriodList, type ListedPeriod } from '../periodLists/periodListJson';
import { patchPeriodList, type PeriodPatches } from '../periodLists/periodListPatch';
import { writeLists } from './periodListWrites';
import { loadPatientsPeriods } from './patientPeriods';
import type { PeriodRow } from './types';
import { chunk, distinctPatientsInLockOrder } from './streamKeys';
import { STREAMS_PER_STATEMENT } from './statementSizes';

/**
 * Longest list kept pre-rendered (about 110 kB of JSON). Each write that
 * touches a patient parses, patches and renders the whole list again (or
 * reads every period, without a stored list), so a longer list would make a
 * write cost grow with the patient's history. A
 * patient past it is marked (periods_json NULL) and answered from the
 * periods table; the mark stays until a replay recomputes the list.
 */
export const MAX_RENDERED_PERIODS = 1_000;

interface ListRow {
  up_id: string;
  too_long: number | string;
  periods_json?: string | null;
}

/** The list rows that exist among a chunk's patients, and those marked too long. */
interface LockedLists {
  existing: Set<string>;
  tooLong: Set<string>;
  /** The rendered lists, when asked for. */
  stored: Map<string, string>;
}

/**
 * Locks the list rows of `patients` that exist, so that two writers of the
 * same patient render its list one after the other: the second one, reading
 * after the first committed (READ COMMITTED), sees both writes. A missing row
 * is not locked here: writeLists inserts it, and a concurrent creator makes
 * that insert fail with a duplicate key, which retries the whole transaction.
 * `withLists` also reads the rendered lists (a locking read: the latest
 * committed ones), which only a caller that patches them needs.
 */
async function lockLists(
  trx: Knex.Transaction,
  patients: readonly string[],
  withLists: boolean,
): Promise<LockedLists> {
  const select = trx('patient_period_lists')
    .select('up_id', trx.raw('periods_json IS NULL AS too_long'))
    .whereIn('up_id', patients)
    .orderBy('up_id');
  if (withLists) select.select('periods_json');
  // SQLite: the transaction already holds the single writer lock.
  const locked: ListRow[] = dialectOf(trx) === 'mysql' ? await select.forUpdate() : await select;
  const stored = new Map<string, string>();
  for (const { up_id, periods_json } of locked)
    if (typeof periods_json === 'string') stored.set(up_id, periods_json);
  return {
    existing: new Set(locked.map((r) => r.up_id)),
    tooLong: new Set(locked.filter((r) => Number(r.too_long)).map((r) => r.up_id)),
    stored,
  };
}

/**
 * Periods the caller already holds: for those of `patients` whose periods it
 * can vouch for in full (as this transaction will have them), each patient's
 * periods in the API's order. Asked after the patients' list rows are locked.
 */
export type KnownPeriods = (
  trx: Knex.Transaction,
  patients: readonly string[],
) => Promise<ReadonlyMap<string, readonly ListedPeriod[]>>;

const NOTHING_KNOWN: ReadonlyMap<string, readonly ListedPeriod[]> = new Map();
const NOTHING_LOADED: ReadonlyMap<string, PeriodRow[]> = new Map();

/** Each patient's stored list with the write's patches applied (those with a stored list). */
function patchedLists(
  stored: ReadonlyMap<string, string>,
  patches: PeriodPatches,
): Map<string, readonly ListedPeriod[]> {
  const known = new Map<string, readonly ListedPeriod[]>();
  for (const [upId, json] of stored)
    known.set(upId, patchPeriodList(json, patches.get(upId) ?? []));
  return known;
}

/**
 * Re-renders the period lists of `upIds` as this transaction has the
 * patients' periods. Every transaction that changes a patient's periods
 * calls it once, after its last period write. `recount` (the replay's
 * rebuild) also reconsiders lists marked as too long; `known` spares the
 * read of the periods it vouches for; `patches` (the write path's) are what
 * the transaction changed, applied to each stored list instead of reading
 * the patient's periods. A patient without a stored list is read in full.
 */
export async function refreshPatientPeriodLists(
  trx: Knex.Transaction,
  upIds: Iterable<string>,
  options: { recount?: boolean; known?: KnownPeriods; patches?: PeriodPatches } = {},
): Promise<void> {
  for (const part of chunk(distinctPatientsInLockOrder(upIds), STREAMS_PER_STATEMENT)) {
    const { existing, tooLong, stored } = await lockLists(trx, part, options.patches !== undefined);
    const patients = options.recount ? part : part.filter((p) => !tooLong.has(p));
    if (patients.length === 0) continue;
    const known = options.known
      ? await options.known(trx, patients)
      : options.patches
        ? patchedLists(stored, options.patches)
        : NOTHING_KNOWN;
    const unknown = patients.filter((p) => !known.has(p));
    const loaded = unknown.length > 0 ? await loadPatientsPeriods(trx, unknown) : NOTHING_LOADED;
    const lists = patients.map((upId) => {
      const rows: readonly ListedPeriod[] = known.get(upId) ?? loaded.get(upId) ?? [];
      return {
        up_id: upId,
        periods_json: rows.length > MAX_RENDERED_PERIODS ? null : renderPeriodList(rows),
      };
    });
    await writeLists(trx, lists, existing);
  }
}

/**
 * Patients among `upIds` whose stored list is not their periods rendered
 * (the replay's verify; lists marked too long are not kept, so not checked).
 */
export async function findStaleLists(
  db: Knex | Knex.Transaction,
  upIds: Iterable<string>,
): Promise<string[]> {
  const stale: string[] = [];
  for (const part of chunk(distinctPatientsInLockOrder(upIds), STREAMS_PER_STATEMENT)) {
    const lists: { up_id: string; periods_json: string }[] = await db('patient_period_lists')
      .select('up_id', 'periods_json')
      .whereIn('up_id', part)
      .whereNotNull('periods_json');
    if (lists.length === 0) continue;
    const periods = await loadPatientsPeriods(
      db,
      lists.map((l) => l.up_id),
    );
    for (const list of lists)
      if (list.periods_json !== renderPeriodList(periods.get(list.up_id) ?? []))
        stale.push(list.up_id);
  }
  return stale;
}

/**
 * Patients with a list but no event in the log (`upId`: only that one):
 * what is left of a patient erased from the log, served until removed.
 */
export async function findOrphanedLists(db: Knex, upId?: string): Promise<string[]> {
  const query = db('patient_period_lists')
    .select('up_id')
    .whereNotExists(
      db('events').select(db.raw('1')).whereRaw('events.up_id = patient_period_lists.up_id'),
    );
  if (upId !== undefined) query.where('up_id', upId);
  const rows: { up_id: string }[] = await query;
  return rows.map((r) => r.up_id);
}

/** Deletes the lists of `upIds` that still have no event in the log. */
export async function deleteOrphanedLists(
  trx: Knex.Transaction,
  upIds: readonly string[],
): Promise<void> {
  for (const part of chunk(distinctPatientsInLockOrder(upIds), STREAMS_PER_STATEMENT))
    await trx('patient_period_lists')
      .whereIn('up_id', part)
      .whereNotExists(
        trx('events').select(trx.raw('1')).whereRaw('events.up_id = patient_period_lists.up_id'),
      )
      .delete();
}
