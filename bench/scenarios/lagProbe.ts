/** How long until a probe's period is visible through the API; polls back to back. */
export async function waitUntilVisible(args: {
  baseUrl: string;
  upId: string;
  publishedAt: number;
  timeoutMs: number;
  pollIntervalMs: number;
}): Promise<number> {
  const url = `${args.baseUrl}/api/v1/medication_periods/${encodeURIComponent(args.upId)}`;
  const deadline = args.publishedAt + args.timeoutMs;
  while (performance.now() < deadline) {
    const response = await fetch(url);
    if (response.ok) {
      const body = (await response.json()) as { periods?: unknown[] };
      if ((body.periods?.length ?? 0) > 0) return performance.now() - args.publishedAt;
    } else {
      await response.body?.cancel();
    }
    await new Promise((r) => setTimeout(r, args.pollIntervalMs));
  }
  return Infinity;
}

/** The probe event: a start for a patient of its own, so its period appears exactly once. */
export function probeEvent(upId: string): object {
  return {
    up_id: upId,
    medication_name: 'lag-probe',
    action: 'start',
    event_time: new Date(Date.UTC(2024, 5, 1)).toISOString(),
  };
}
