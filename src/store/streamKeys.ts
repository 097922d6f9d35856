import { compareUtf8, streamKeyOfIds, type StreamKey } from '../domain';

/** The distinct streams among `items`, in the one fixed order every writer locks them in. */
export function distinctStreamsInLockOrder(items: readonly StreamKey[]): StreamKey[] {
  const seen = new Map<string, StreamKey>();
  for (const { upId, medicationName } of items) {
    const key = streamKeyOfIds(upId, medicationName);
    if (!seen.has(key)) seen.set(key, { upId, medicationName });
  }
  return [...seen.values()].sort(
    (a, b) => compareUtf8(a.upId, b.upId) || compareUtf8(a.medicationName, b.medicationName),
  );
}

/** The distinct patients among `upIds`, in the order every writer locks their period lists in. */
export function distinctPatientsInLockOrder(upIds: Iterable<string>): string[] {
  return [...new Set(upIds)].sort(compareUtf8);
}

/** Splits a list into chunks so that no statement exceeds the backends' parameter limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

export function streamTuples(streams: readonly StreamKey[]): [string, string][] {
  return streams.map((s) => [s.upId, s.medicationName]);
}
