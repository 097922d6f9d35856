/** Store times are epoch ms; the API speaks ISO 8601 UTC with milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * A rejected payload for display: as text when the bytes are UTF-8, and also
 * as base64 when they are not, so the operator still gets the exact bytes.
 */
export function presentRawPayload(bytes: Buffer): {
  raw_payload: string;
  raw_payload_base64?: string;
} {
  try {
    return { raw_payload: strictUtf8.decode(bytes) };
  } catch {
    return { raw_payload: lenientUtf8.decode(bytes), raw_payload_base64: bytes.toString('base64') };
  }
}
