/** Recording what happened to each URL (crawl_state), one row per canonical URL. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crawlState } from '../../db/schema.ts';
import type { FetchValidators } from '../queue/job-data.ts';
import type { CrawlOutcome } from './crawl-outcome.ts';
import { storeStatements, type StoreStatements } from './store-statements.ts';

/** The validators the last successful fetch of `url` left, or null for a URL never fetched. */
export function readFetchValidators(db: Db, url: string): FetchValidators | null {
  const row = db
    .select({ etag: crawlState.etag, lastModified: crawlState.lastModified, contentHash: crawlState.contentHash })
    .from(crawlState)
    .where(eq(crawlState.url, url))
    .get();
  if (!row || (row.etag === null && row.lastModified === null && row.contentHash === null)) return null;
  return row;
}

/**
 * Record an attempt's outcome. Validators (ETag, Last-Modified) and the content hash are kept
 * from the last successful fetch when a failed attempt does not bring new ones, so the next
 * conditional request still has them. An outcome older than the one recorded (a store job that
 * waited for the database while a re-run of the same URL got through) does not overwrite it;
 * recording the same outcome twice is harmless.
 */
export function recordCrawlOutcome(db: Db, outcome: CrawlOutcome, articleId: number | null, now: Date): void {
  writeCrawlOutcome(storeStatements(db.$client), outcome, articleId, now);
}

/** recordCrawlOutcome on the store's prepared statements, inside the caller's transaction. */
export function writeCrawlOutcome(statements: StoreStatements, outcome: CrawlOutcome, articleId: number | null, now: Date): void {
  statements.recordOutcome({
    url: outcome.url,
    site: outcome.site,
    status: outcome.status,
    reason: outcome.reason,
    httpStatus: outcome.httpStatus,
    lastError: outcome.error,
    attempts: outcome.attempts,
    finalUrl: outcome.finalUrl,
    etag: outcome.etag,
    lastModified: outcome.lastModified,
    contentHash: outcome.contentHash,
    articleId,
    fetchMs: outcome.fetchMs,
    fetchedAt: outcome.fetchedAt,
    nextFetchAt: outcome.nextFetchAt,
    updatedAt: now.toISOString(),
  });
}
