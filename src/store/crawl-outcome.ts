import type { CrawlStatus } from '../../db/schema.ts';

/**
 * What one fetch attempt of one URL came to. Fetch workers build it; the store worker records
 * it in crawl_state. Plain JSON: it travels through the store queue.
 */
export interface CrawlOutcome {
  /** The canonical URL that was enqueued (the crawl_state key). */
  url: string;
  site: string;
  status: CrawlStatus;
  /** Short machine-readable reason for a failure or a retry ("http-404", "timeout"). */
  reason: string | null;
  httpStatus: number | null;
  /** The human-readable error message, for `ingest status`. */
  error: string | null;
  /** Attempts made so far, this one included. */
  attempts: number;
  finalUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  fetchMs: number | null;
  /** ISO instant of the attempt. */
  fetchedAt: string;
  /** ISO instant of the next scheduled attempt, for retries. */
  nextFetchAt: string | null;
}
