import { payloadTooLarge, validateEvent, type Rejection, type ValidEvent } from '../domain';
import { MAX_STORED_ITEM_BYTES } from './statementSizes';
import type { IncomingItem } from './types';

export interface AcceptedItem {
  index: number;
  event: ValidEvent;
  raw: string;
  /** `raw`'s size in UTF-8, which bounds the statements it goes into. */
  rawBytes: number;
}

export interface RejectedItemWithRaw {
  index: number;
  rejection: Rejection;
  raw: Buffer;
}

function rawText(item: { payload: unknown; raw?: string | Buffer }): string {
  if (typeof item.raw === 'string') return item.raw;
  if (Buffer.isBuffer(item.raw)) return item.raw.toString('utf8');
  return JSON.stringify(item.payload) ?? String(item.payload);
}

/** Splits incoming items into valid events and rejections, keeping each item's index and raw form. */
export function classifyItems(items: readonly IncomingItem[]): {
  accepted: AcceptedItem[];
  rejected: RejectedItemWithRaw[];
} {
  const accepted: AcceptedItem[] = [];
  const rejected: RejectedItemWithRaw[] = [];
  items.forEach((item, index) => {
    if ('rejection' in item) {
      rejected.push({ index, rejection: item.rejection, raw: toBuffer(item.raw) });
      return;
    }
    const raw = rawText(item);
    // Only a raised HTTP body limit lets an item this large through (the broker's is lower).
    // A decoded broker body is valid UTF-8: its text has exactly its bytes.
    const bytes = Buffer.isBuffer(item.raw) ? item.raw.length : Buffer.byteLength(raw);
    if (bytes > MAX_STORED_ITEM_BYTES) {
      rejected.push({
        index,
        rejection: payloadTooLarge('item, as JSON,', bytes, MAX_STORED_ITEM_BYTES),
        raw: Buffer.from(raw).subarray(0, MAX_STORED_ITEM_BYTES),
      });
      return;
    }
    const result = validateEvent(item.payload);
    if (result.ok) accepted.push({ index, event: result.event, raw, rawBytes: bytes });
    else rejected.push({ index, rejection: result.rejection, raw: Buffer.from(raw, 'utf8') });
  });
  return { accepted, rejected };
}

function toBuffer(raw: string | Buffer): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
}
