import type { Article } from '../article/article.ts';
import type { CrawlOutcome } from '../store/crawl-outcome.ts';

/** Queue names, under the QUEUE_PREFIX key prefix. */
export const FETCH_QUEUE = 'fetch';
export const STORE_QUEUE = 'store';

/**
 * A fetch job: everything a stateless fetch worker needs (DESIGN.md), including the validators
 * of the last fetch for a conditional request.
 */
export interface FetchJobData {
  /** Canonical URL. */
  url: string;
  /** The URL's site (siteOf(url) when absent: jobs of `ingest enqueue` leave it out). */
  site?: string;
  etag?: string | null;
  lastModified?: string | null;
  contentHash?: string | null;
  /**
   * ISO instant the URL was enqueued. Jobs of `ingest enqueue` leave it out: the job's own
   * timestamp says when it was added, and every byte of a waiting job is Redis memory.
   */
  enqueuedAt?: string;
  /** Retry-After delays this job has had (see MAX_RATE_LIMIT_DELAYS). */
  rateLimitDelays?: number;
  /**
   * What the feed or sitemap that listed the URL said of it (its date and title): hints only,
   * never a replacement for what the page itself says.
   */
  hints?: { publishedAt: string | null; title: string | null; source: string };
}

/** What the last fetch of a URL left for a conditional re-fetch. */
export interface FetchValidators {
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
}

/** A store job: an attempt's outcome, with the article when one was extracted. */
export interface StoreJobData {
  outcome: CrawlOutcome;
  article?: Article;
}
