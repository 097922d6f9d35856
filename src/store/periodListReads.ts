import type { Knex } from 'knex';
import { renderPeriodList } from '../periodLists/periodListJson';
import { loadPatientsPeriods } from './patientPeriods';
import { listPeriods } from './periodsRepository';
import { chunk } from './streamKeys';
import { STREAMS_PER_STATEMENT } from './statementSizes';

/**
 * A patient's whole period list, rendered: one primary-key lookup. A patient
 * with no rendered list (none yet, or past MAX_RENDERED_PERIODS) is rendered
 * from the periods table.
 */
export async function readPatientPeriodList(db: Knex, upId: string): Promise<string> {
  const [row] = await db('patient_period_lists').select('periods_json').where('up_id', upId);
  const stored = (row as { periods_json: string | null } | undefined)?.periods_json;
  return stored ?? renderPeriodList(await listPeriods(db, upId, {}));
}

/**
 * The period lists of several patients, each exactly what readPatientPeriodList
 * returns for it, with one lookup per chunk of patients instead of one each
 * (the read cache's background reloads), and one read of the periods table
 * for those of the chunk without a rendered list.
 */
export async function readPatientPeriodLists(
  db: Knex,
  upIds: readonly string[],
): Promise<Map<string, string>> {
  const lists = new Map<string, string>();
  for (const part of chunk([...new Set(upIds)], STREAMS_PER_STATEMENT)) {
    const rows: { up_id: string; periods_json: string | null }[] = await db('patient_period_lists')
      .select('up_id', 'periods_json')
      .whereIn('up_id', part);
    for (const row of rows) if (row.periods_json !== null) lists.set(row.up_id, row.periods_json);
    // Rare: patients without a rendered list, rendered from the periods table as the single read does.
    const unrendered = part.filter((upId) => !lists.has(upId));
    if (unrendered.length === 0) continue;
    const periods = await loadPatientsPeriods(db, unrendered);
    for (const upId of unrendered) lists.set(upId, renderPeriodList(periods.get(upId) ?? []));
  }
  return lists;
}
