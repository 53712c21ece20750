import { describe, expect, it } from 'vitest';
import { WriteBatcher, WritesStoppedError, type BatchWait } from '../../workers/write-batcher.ts';

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

  it('keeps a batch the database refused, with later writes behind it, and commits them in arrival order when it accepts writes again', async () => {
    let refusing = true;
    const batches: number[][] = [];
    const { wait, events } = recordingWait();
    const batcher = new WriteBatcher<number, number>({
      writeBatch: (items) => {
        if (refusing) throw new Unavailable();
        batches.push([...items]);
        return [...items];
      },
      maxItems: 3,
      lingerMs: 5,
      wait,
    });
    const first = [1, 2, 3].map((n) => batcher.submit(n));
    await sleep(30);
    const later = [4, 5].map((n) => batcher.submit(n));
    await sleep(30);
    expect(batches).toEqual([]);
    refusing = false;
    expect(await Promise.all([...first, ...later])).toEqual([1, 2, 3, 4, 5]);
    // The oldest first, at most maxItems per transaction.
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(events.filter((e) => e.startsWith('failed')).length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toBe('failed 1,2,3');
    expect(events.at(-1)).toBe('succeeded');
    expect(events.filter((e) => e === 'succeeded')).toHaveLength(1);
  });

  it('when the database stops taking writes while a failed batch is written write by write, keeps the rest, in order', async () => {
    const calls: number[][] = [];
    let refusing = false;
    const { wait } = recordingWait();
    const batcher = new WriteBatcher<number, number>({
      writeBatch: (items) => {
        calls.push([...items]);
        if (refusing) throw new Unavailable();
        if (items.includes(2)) {
          refusing = items.length === 1; // the disk fills up right after the bad write
          throw new Error('NOT NULL constraint failed');
        }
        return [...items];
      },
      maxItems: 10,
      lingerMs: 5,
      wait,
    });
    const outcomes = [1, 2, 3, 4].map((n) => batcher.submit(n).then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    await sleep(40);
    refusing = false;
    expect(await Promise.all(outcomes)).toEqual([{ value: 1 }, { error: 'NOT NULL constraint failed' }, { value: 3 }, { value: 4 }]);
    // The batch, then each alone until the refusal, then the rest as one batch again.
    expect(calls.slice(0, 4)).toEqual([[1, 2, 3, 4], [1], [2], [3]]);
    expect(calls.at(-1)).toEqual([3, 4]);
  });

  it('on stop, rejects the writes waiting for the database with WritesStoppedError and commits the others at once', async () => {
    let refusing = true;
    const written: number[] = [];
    const { wait } = recordingWait();
    const batcher = new WriteBatcher<number, number>({
      writeBatch: (items) => {
        if (refusing) throw new Unavailable();
        written.push(...items);
        return [...items];
      },
      maxItems: 10,
      lingerMs: 60_000,
      wait,
    });
    const waiting = [batcher.submit(1), batcher.submit(2)];
    batcher.flush();
    await sleep(10);
    batcher.stop();
    for (const result of await Promise.allSettled(waiting)) {
      expect(result).toMatchObject({ status: 'rejected', reason: expect.any(WritesStoppedError) });
    }
    expect(written).toEqual([]);
    // After stop, a write is tried at once (no linger), and answered when the database takes it.
    refusing = false;
    await expect(batcher.submit(3)).resolves.toBe(3);
    expect(written).toEqual([3]);

    const lingering = new WriteBatcher<number, number>({ writeBatch: (items) => [...items], maxItems: 10, lingerMs: 60_000, wait });
    const pending = lingering.submit(7);
    lingering.stop();
    await expect(pending).resolves.toBe(7);
  });
});

class Unavailable extends Error {
  readonly code = 'SQLITE_FULL';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A wait that retries after 10 ms and notes what the batcher told it. */
function recordingWait(): { wait: BatchWait<number>; events: string[] } {
  const events: string[] = [];
  return {
    events,
    wait: {
      isUnavailable: (error) => error instanceof Unavailable,
      failed: (_error, items) => events.push(`failed ${items.join(',')}`),
      succeeded: () => events.push('succeeded'),
      delayAfter: () => 10,
    },
  };
}
