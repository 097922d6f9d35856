/**
 * Whether a period overlaps the window [from, to). An active period (end null)
 * runs on forever. A zero-length period at instant t is a real administration
 * and counts as overlapping when from <= t < to.
 */
export function periodOverlaps(
  period: { startTime: number; endTime: number | null },
  window: { from?: number; to?: number },
): boolean {
  const { startTime, endTime } = period;
  if (window.to !== undefined && !(startTime < window.to)) return false;
  if (window.from === undefined) return true;
  if (endTime === null || endTime > window.from) return true;
  return endTime === startTime && startTime === window.from;
}
