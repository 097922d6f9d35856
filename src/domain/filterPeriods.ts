import { periodOverlaps } from './periodOverlaps';
import type { PeriodStatus } from './projectionPhases';

/** The API's period filters; from/to are epoch ms: periods overlapping [from, to) (see periodOverlaps). */
export interface PeriodFilter {
  medication?: string;
  status?: PeriodStatus;
  from?: number;
  to?: number;
}

/** The API's filters applied in memory, exactly as the SQL of listPeriods applies them. */
export function filterPeriods<
  P extends {
    medicationName: string;
    status: PeriodStatus;
    startTime: number;
    endTime: number | null;
  },
>(rows: readonly P[], filter: PeriodFilter): P[] {
  return rows.filter(
    (p) =>
      (filter.medication === undefined || p.medicationName === filter.medication) &&
      (filter.status === undefined || p.status === filter.status) &&
      periodOverlaps(p, filter),
  );
}
