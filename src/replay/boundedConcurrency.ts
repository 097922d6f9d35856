/**
 * Runs `work` on each item of `items` as they come, at most `limit` at a
 * time, so that the next item is read while earlier ones are still being
 * worked on, and memory stays bounded by `limit` items. Stops taking items
 * at the first failure and rethrows it once the items in flight settled.
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  for await (const item of items) {
    const running: Promise<void> = work(item).then(
      () => {
        inFlight.delete(running);
      },
      (error: unknown) => {
        inFlight.delete(running);
        failure ??= { error };
      },
    );
    inFlight.add(running);
    if (inFlight.size >= limit) await Promise.race(inFlight);
    if (failure) break;
  }
  await Promise.all(inFlight);
  if (failure) throw (failure as { error: unknown }).error;
}
