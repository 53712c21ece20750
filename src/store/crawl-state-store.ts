/** Recording what happened to each URL (crawl_state), one row per canonical URL. */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { crawlState } from '../../db/schema.ts';
import type { FetchValidators } from '../queue/job-data.ts';
import type { CrawlOutcome } from './crawl-outcome.ts';

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
  const row = {
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
  };
  db.insert(crawlState)
    .values(row)
    .onConflictDoUpdate({
      target: crawlState.url,
      set: {
        site: row.site,
        status: row.status,
        reason: row.reason,
        httpStatus: row.httpStatus,
        lastError: row.lastError,
        attempts: row.attempts,
        finalUrl: sql`coalesce(${row.finalUrl}, ${crawlState.finalUrl})`,
        etag: sql`coalesce(${row.etag}, ${crawlState.etag})`,
        lastModified: sql`coalesce(${row.lastModified}, ${crawlState.lastModified})`,
        contentHash: sql`coalesce(${row.contentHash}, ${crawlState.contentHash})`,
        articleId: sql`coalesce(${row.articleId}, ${crawlState.articleId})`,
        fetchMs: row.fetchMs,
        fetchedAt: row.fetchedAt,
        nextFetchAt: row.nextFetchAt,
        updatedAt: row.updatedAt,
      },
      setWhere: sql`${crawlState.fetchedAt} is null or excluded.fetched_at >= ${crawlState.fetchedAt}`,
    })
    .run();
}
