/** Totals for `ingest status`: articles, URLs by outcome and reason, recent failures. */
import { count, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, crawlState } from '../../db/schema.ts';

/** How many recent failures `ingest status` lists: enough to spot a pattern, short enough to read. */
export const RECENT_FAILURES_SHOWN = 10;

/** Windows over which `ingest status` reports throughput: the last minutes, and the last hour. */
const THROUGHPUT_WINDOWS_MINUTES = [5, 60] as const;

export interface DatabaseTotals {
  articles: number;
  /** URLs finished (stored, unchanged or failed) per minute over the last 5 and 60 minutes. */
  throughput: Array<{ windowMinutes: number; urlsPerMinute: number; storedPerMinute: number }>;
  sites: number;
  urlsByStatus: Record<string, number>;
  failuresByReason: Array<{ reason: string; count: number }>;
  recentFailures: Array<{ url: string; reason: string | null; httpStatus: number | null; error: string | null; attempts: number; at: string }>;
}

export function readDatabaseTotals(db: Db, now: Date): DatabaseTotals {
  const articleCount = db.select({ n: count() }).from(articles).get()?.n ?? 0;
  const siteCount = db.select({ n: sql<number>`count(distinct ${articles.site})` }).from(articles).get()?.n ?? 0;
  const byStatus = db
    .select({ status: crawlState.status, n: count() })
    .from(crawlState)
    .groupBy(crawlState.status)
    .all();
  const byReason = db
    .select({ reason: sql<string>`coalesce(${crawlState.reason}, 'unknown')`, n: count() })
    .from(crawlState)
    .where(eq(crawlState.status, 'failed'))
    .groupBy(crawlState.reason)
    .orderBy(desc(count()))
    .all();
  const recent = db
    .select()
    .from(crawlState)
    .where(eq(crawlState.status, 'failed'))
    .orderBy(desc(crawlState.updatedAt))
    .limit(RECENT_FAILURES_SHOWN)
    .all();
  const throughput = THROUGHPUT_WINDOWS_MINUTES.map((windowMinutes) => {
    const since = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
    const row = db
      .select({
        finished: sql<number>`sum(case when ${crawlState.status} != 'retrying' then 1 else 0 end)`,
        stored: sql<number>`sum(case when ${crawlState.status} = 'stored' then 1 else 0 end)`,
      })
      .from(crawlState)
      .where(gte(crawlState.updatedAt, since))
      .get();
    const perMinute = (n: number | null | undefined) => Math.round(((n ?? 0) / windowMinutes) * 10) / 10;
    return { windowMinutes, urlsPerMinute: perMinute(row?.finished), storedPerMinute: perMinute(row?.stored) };
  });
  return {
    articles: articleCount,
    throughput,
    sites: siteCount,
    urlsByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.n])),
    failuresByReason: byReason.map((row) => ({ reason: row.reason, count: row.n })),
    recentFailures: recent.map((row) => ({
      url: row.url,
      reason: row.reason,
      httpStatus: row.httpStatus,
      error: row.lastError,
      attempts: row.attempts,
      at: row.updatedAt,
    })),
  };
}
