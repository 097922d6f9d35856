import { describe, expect, it } from 'vitest';
import { chunkBySize } from './statementSizes';

const sizes = (chunks: number[][]) => chunks.map((c) => c.join('+'));

describe('chunkBySize', () => {
  it('closes a chunk before the item that would take it past the byte bound', () => {
    expect(sizes(chunkBySize([4, 4, 3, 5, 1], 10, 8, (n) => n))).toEqual(['4+4', '3+5', '1']);
  });

  it('closes a chunk at the item bound, however small the items', () => {
    expect(sizes(chunkBySize([1, 1, 1, 1, 1], 2, 100, (n) => n))).toEqual(['1+1', '1+1', '1']);
  });

  it('puts an item larger than the byte bound in a chunk of its own', () => {
    expect(sizes(chunkBySize([2, 50, 3], 10, 8, (n) => n))).toEqual(['2', '50', '3']);
  });

  it('gives no chunk for no items', () => {
    expect(chunkBySize([], 10, 8, (n: number) => n)).toEqual([]);
  });
});
