import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../workers/write-batcher.ts';

describe('WriteBatcher', () => {
  it('commits what arrives within the linger as one batch and answers each write', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number, string>({
      writeBatch: (items) => {
        batches.push([...items]);
        return items.map((n) => `row ${n}`);
      },
      maxItems: 100,
      lingerMs: 20,
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual(['row 1', 'row 2', 'row 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('commits at once when a batch is full, without waiting for the linger', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher<number, number>({
      writeBatch: (items) => {
        batches.push([...items]);
        return [...items];
      },
      maxItems: 2,
      lingerMs: 60_000,
    });
    const started = Date.now();
    expect(await Promise.all([batcher.submit(1), batcher.submit(2)])).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(batches).toEqual([[1, 2]]);
  });

  it('tries each write alone when the batch fails, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const batcher = new WriteBatcher<number, number>({
      writeBatch: (items) => {
        calls.push([...items]);
        if (items.includes(13)) throw new Error('CHECK constraint failed');
        return items.map((n) => n * 10);
      },
      maxItems: 10,
      lingerMs: 5,
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => batcher.submit(n)));
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 120 },
      { status: 'rejected', reason: new Error('CHECK constraint failed') },
      { status: 'fulfilled', value: 140 },
    ]);
    expect(calls).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
