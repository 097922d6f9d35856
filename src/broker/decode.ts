import { TextDecoder } from 'node:util';
import { payloadTooLarge, rejection } from '../domain';
import type { IncomingItem } from '../store/types';

// fatal: true makes malformed UTF-8 throw instead of turning into U+FFFD,
// which would silently change what the device sent.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Turns a message body into what the write path takes. Bodies that are not
 * UTF-8 or not JSON become rejections carrying the exact bytes received, so
 * the write path records them instead of anything being dropped. A body over
 * `maxBytes` is rejected with its first `maxBytes` bytes: stored whole, it
 * could outgrow what one statement may carry.
 */
export function decodeMessageBody(body: Buffer, maxBytes: number): IncomingItem {
  if (body.length > maxBytes) {
    return {
      rejection: payloadTooLarge('message body (AMQP_MAX_MESSAGE_BYTES)', body.length, maxBytes),
      raw: body.subarray(0, maxBytes),
    };
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return {
      rejection: rejection('invalid_utf8', null, 'message body is not valid UTF-8'),
      raw: body,
    };
  }
  try {
    return { payload: JSON.parse(text) as unknown, raw: body };
  } catch (err) {
    const detail = err instanceof Error ? `: ${err.message}` : '';
    return {
      rejection: rejection('invalid_json', null, `message body is not JSON${detail}`),
      raw: body,
    };
  }
}

/**
 * The patient an item will write to, as far as the raw payload tells
 * (trimmed, as validation trims); undefined for anything the write path
 * will reject. Only a batching hint: the stream and list locks in the
 * database are what keep writers of one patient apart.
 */
export function patientHintOf(item: IncomingItem): string | undefined {
  if (!('payload' in item)) return undefined;
  const payload = item.payload as { up_id?: unknown } | null;
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { up_id: upId } = payload;
  return typeof upId === 'string' ? upId.trim() : undefined;
}
