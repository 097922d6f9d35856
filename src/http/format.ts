export { isoTime, isoTimeOrNull } from '../domain';

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
