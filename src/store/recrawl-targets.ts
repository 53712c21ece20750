/**
 * Which stored URLs `ingest recrawl` re-fetches, with their validators (the re-fetch is
 * conditional): given URLs, a site, articles published since a date, or everything.
 */
import { and, eq, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, crawlState } from '../../db/schema.ts';
import type { FetchValidators } from '../queue/job-data.ts';

export interface RecrawlSelection {
  urls?: readonly string[];
  site?: string;
  /** Articles published on or after this day or instant (undated ones: first stored since). */
  since?: string;
  all?: boolean;
}

export interface RecrawlTarget extends FetchValidators {
  url: string;
}

/** Targets read per query page, so `recrawl --all` on a large database streams. */
const PAGE_SIZE = 1_000;

export function* recrawlTargets(db: Db, selection: RecrawlSelection): Generator<RecrawlTarget[]> {
  const conditions: SQL[] = [];
  if (selection.urls) conditions.push(inArray(crawlState.url, selection.urls as string[]));
  if (selection.site) conditions.push(eq(crawlState.site, selection.site.toLowerCase().replace(/^www\./, '')));
  if (selection.since) {
    conditions.push(gte(sql`coalesce(${articles.publishedAtUtc}, ${articles.publishedAt}, ${articles.createdAt})`, selection.since));
  }
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const rows = db
      .select({ url: crawlState.url, etag: crawlState.etag, lastModified: crawlState.lastModified, contentHash: crawlState.contentHash })
      .from(crawlState)
      .leftJoin(articles, eq(articles.id, crawlState.articleId))
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(crawlState.url)
      .limit(PAGE_SIZE)
      .offset(offset)
      .all();
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_SIZE) return;
  }
}
