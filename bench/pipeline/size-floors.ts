/**
 * The pipeline benchmark's throughput floors by crawl size. Start-up (three node processes
 * becoming ready, about a second each) weighs on a few hundred URLs and not on ten thousand, so
 * one ratio to Scrapy cannot be honest at every size: each floor holds from its size up to the
 * next one's, and a size below the smallest is measured but not gated (no run there was ever
 * pinned).
 */
export type RatioFloors = Readonly<Record<string, number>>;

export interface SizeFloors {
  /** Smallest crawl size (URLs) the floors hold for, or null below every pinned size. */
  fromSize: number | null;
  floors: RatioFloors;
}

/** The floors of the largest pinned size at or below `size`. */
export function floorsForSize(bySize: Readonly<Record<string, RatioFloors>>, size: number): SizeFloors {
  let best: SizeFloors = { fromSize: null, floors: {} };
  for (const [key, floors] of Object.entries(bySize)) {
    const from = Number(key);
    if (!Number.isInteger(from) || from <= 0) throw new Error(`bench/floors/pipeline.json: "${key}" is not a crawl size`);
    if (from <= size && (best.fromSize === null || from > best.fromSize)) best = { fromSize: from, floors };
  }
  return best;
}
