/**
 * The adaptive poll interval of a source. After each run: a source that brought new links is
 * polled sooner (interval × (1 − DECREASE_RATE)), one that did not (304, same body, no new
 * links) later (interval × (1 + INCREASE_RATE)), always between SOURCE_MIN_INTERVAL and
 * SOURCE_MAX_INTERVAL; a failed run leaves it as it was. This is Apache Nutch's
 * AdaptiveFetchSchedule rule (Apache License 2.0) with its default rates; StormCrawler's
 * AdaptiveScheduler and Common Crawl's news-crawl follow the same idea. Pure.
 */

/** Nutch's db.fetch.schedule.adaptive.inc_rate: growth while nothing changes. */
export const INCREASE_RATE = 0.4;
/** Nutch's db.fetch.schedule.adaptive.dec_rate: shrink when something changed. */
export const DECREASE_RATE = 0.2;

export type RunChange = 'changed' | 'unchanged' | 'failed';

export function nextAdaptiveInterval(currentMs: number, change: RunChange, minMs: number, maxMs: number): number {
  const factor = change === 'changed' ? 1 - DECREASE_RATE : change === 'unchanged' ? 1 + INCREASE_RATE : 1;
  return Math.round(Math.min(maxMs, Math.max(minMs, currentMs * factor)));
}
