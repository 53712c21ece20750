/**
 * Filling crawl_state.next_fetch_at after a fetch of a stored article: the next check on its
 * decaying refresh schedule (discover/refresh-schedule.ts), or null when the schedule is over.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, crawlState } from '../../db/schema.ts';
import { nextRefreshAt } from '../discover/refresh-schedule.ts';

export function scheduleNextRefresh(db: Db, url: string, offsetsMs: readonly number[]): string | null {
  const row = db
    .select({
      fetchedAt: crawlState.fetchedAt,
      status: crawlState.status,
      publishedAtUtc: articles.publishedAtUtc,
      publishedAt: articles.publishedAt,
      createdAt: articles.createdAt,
    })
    .from(crawlState)
    .innerJoin(articles, eq(articles.id, crawlState.articleId))
    .where(eq(crawlState.url, url))
    .get();
  if (!row || !row.fetchedAt || (row.status !== 'stored' && row.status !== 'unchanged')) return null;
  const reference = referenceInstant(row.publishedAtUtc, row.publishedAt, row.createdAt);
  const next = nextRefreshAt(reference, new Date(row.fetchedAt), offsetsMs);
  const nextFetchAt = next?.toISOString() ?? null;
  db.update(crawlState).set({ nextFetchAt }).where(eq(crawlState.url, url)).run();
  return nextFetchAt;
}

/** Publication instant when known (a bare date counts from its start, UTC), else first stored. */
function referenceInstant(utc: string | null, published: string | null, createdAt: string): Date {
  for (const candidate of [utc, published]) {
    const ms = candidate === null ? NaN : Date.parse(candidate);
    if (!Number.isNaN(ms)) return new Date(ms);
  }
  return new Date(createdAt);
}
