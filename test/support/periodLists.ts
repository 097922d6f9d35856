import type { Knex } from 'knex';
import { renderPeriodList } from '../../src/periodLists/periodListJson';
import { listPeriods } from '../../src/store/periodsRepository';

/** A patient's stored pre-rendered list: undefined without a row, null when marked too long. */
export async function storedListOf(db: Knex, upId: string): Promise<string | null | undefined> {
  const [row] = await db('patient_period_lists')
    .where({ up_id: upId })
    .select<{ periods_json: string | null }[]>('periods_json');
  return row?.periods_json;
}

/** What the list must be: the patient's rows of the periods table, rendered. */
export const periodsTableRendered = async (db: Knex, upId: string): Promise<string> =>
  renderPeriodList(await listPeriods(db, upId, {}));
