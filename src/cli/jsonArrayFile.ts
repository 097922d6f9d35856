/**
 * Reading a device file, a JSON array of events: streamed item by item, or
 * loaded whole and shuffled.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { JSONParser } from '@streamparser/json';

/**
 * Yields the items of the file's top-level array one by one, reading it in
 * chunks; `onBytes` reports progress through the file.
 */
export async function* streamJsonArray(
  file: string,
  onBytes: (bytes: number) => void = () => undefined,
): AsyncGenerator<unknown> {
  // keepStack: false drops items once emitted, so memory stays flat however long the array.
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: unknown[] = [];
  parser.onValue = ({ value }) => {
    ready.push(value);
  };
  let rootSeen = false;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    if (!rootSeen) rootSeen = checkArrayOpens(bytes, file);
    parser.write(bytes);
    onBytes(bytes.length);
    yield* ready.splice(0);
  }
  // The parser ends by itself once the array closes; ending it again would throw.
  if (!parser.isEnded) parser.end();
  if (!rootSeen) throw new Error(`${file}: expected a JSON array at the top level, found nothing`);
  yield* ready.splice(0);
}

/**
 * Whether this chunk shows how the document starts: true if it opens an
 * array, false if it is all whitespace; throws if anything else comes first
 * (otherwise `$.*` would happily stream the members of an object).
 */
function checkArrayOpens(chunk: Buffer, file: string): boolean {
  const first = chunk.toString('latin1').trimStart()[0];
  if (first === undefined) return false;
  if (first !== '[') throw new Error(`${file}: expected a JSON array at the top level`);
  return true;
}

/** Fails fast on a file that cannot be a JSON array, before anything is published. */
export async function assertStartsLikeAnArray(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    const first = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()[0];
    if (first !== '[') throw new Error(`${file}: expected a JSON array at the top level`);
  } finally {
    await handle.close();
  }
}

/** Every item of the file, `repeat` times, in a uniformly random order (Fisher–Yates). */
export async function loadShuffled(file: string, repeat: number): Promise<unknown[]> {
  const items: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(items)) throw new Error(`${file}: expected a JSON array at the top level`);
  const all: unknown[] = [];
  for (let r = 0; r < repeat; r += 1) all.push(...items);
  for (let i = all.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all;
}
