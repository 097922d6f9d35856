import { validateEvent, type Rejection, type ValidEvent } from '../domain';
import type { IncomingItem } from './types';

export interface AcceptedItem {
  index: number;
  event: ValidEvent;
  raw: string;
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
    const result = validateEvent(item.payload);
    if (result.ok) accepted.push({ index, event: result.event, raw });
    else rejected.push({ index, rejection: result.rejection, raw: Buffer.from(raw, 'utf8') });
  });
  return { accepted, rejected };
}

function toBuffer(raw: string | Buffer): Buffer {
  return Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8');
}
