import type { Knex } from 'knex';
import { toPeriodRow, type StoredPeriod } from './periodsRepository';
import { fromStreamIndexed } from './streamIndex';
import type { PeriodRow } from './types';

/**
 * The periods of several patients from the periods table, one query, grouped
 * by patient, each patient's in the API's order (as listPeriods gives one
 * patient's). A patient without periods is absent.
 */
export async function loadPatientsPeriods(
  db: Knex | Knex.Transaction,
  patients: readonly string[],
): Promise<Map<string, PeriodRow[]>> {
  const rows: (StoredPeriod & { up_id: string })[] = await fromStreamIndexed(
    db,
    'periods',
    'periods_patient_start',
  )
    .select('up_id', 'medication_name', 'start_time', 'end_time', 'status')
    .whereIn('up_id', patients)
    .orderBy([{ column: 'up_id' }, { column: 'start_time' }, { column: 'medication_name' }]);
  const byPatient = new Map<string, PeriodRow[]>();
  for (const row of rows) {
    const period = toPeriodRow(row.up_id, row);
    const list = byPatient.get(row.up_id);
    if (list) list.push(period);
    else byPatient.set(row.up_id, [period]);
  }
  return byPatient;
}
