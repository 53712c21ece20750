import { describe, expect, it } from 'vitest';
import { floorsForSize } from '../../bench/pipeline/size-floors.ts';

const BY_SIZE = { '905': { 'ours-all': 1.2 }, '10000': { 'ours-all': 1.8 } };

describe('the pipeline benchmark floors by crawl size', () => {
  it('takes the floors of the largest pinned size at or below the crawl', () => {
    expect(floorsForSize(BY_SIZE, 905)).toEqual({ fromSize: 905, floors: { 'ours-all': 1.2 } });
    expect(floorsForSize(BY_SIZE, 9_999)).toEqual({ fromSize: 905, floors: { 'ours-all': 1.2 } });
    expect(floorsForSize(BY_SIZE, 10_000)).toEqual({ fromSize: 10_000, floors: { 'ours-all': 1.8 } });
    expect(floorsForSize(BY_SIZE, 50_000)).toEqual({ fromSize: 10_000, floors: { 'ours-all': 1.8 } });
  });

  it('gates nothing below the smallest pinned size', () => {
    expect(floorsForSize(BY_SIZE, 363)).toEqual({ fromSize: null, floors: {} });
  });

  it('refuses a key that is not a crawl size', () => {
    expect(() => floorsForSize({ small: { 'ours-all': 1 } }, 905)).toThrow(/not a crawl size/);
  });
});
