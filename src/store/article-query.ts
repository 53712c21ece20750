/** Reading the clean database: the filters of `ingest query`. */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles } from '../../db/schema.ts';
import { articleFromRow } from './article-store.ts';

export interface ArticleFilters {
  /** Host as stored ("theiranproject.com"); a leading "www." is ignored. */
  site?: string;
  /** Published on or after this day or instant (ISO 8601). */
  since?: string;
  /** Published before this day or instant (ISO 8601); a bare day includes the whole day. */
  until?: string;
  storyCode?: string;
  /** Full-text search over title and text (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*). */
  search?: string;
  limit: number;
}

/** The search text is not a valid FTS5 query (unbalanced quotes, a bare operator). */
export class InvalidSearchError extends Error {
  override readonly name = 'InvalidSearchError';
}

/**
 * The date an article sorts and filters by: its UTC instant when known, else the date as
 * published (a bare day, or a local time without offset). ISO strings compare as text.
 */
const publicationSortKey = sql<string | null>`coalesce(${articles.publishedAtUtc}, ${articles.publishedAt})`;

export function queryArticles(db: Db, filters: ArticleFilters) {
  const conditions: SQL[] = [];
  if (filters.site) conditions.push(eq(articles.site, filters.site.toLowerCase().replace(/^www\./, '')));
  if (filters.storyCode) conditions.push(eq(articles.storyCode, filters.storyCode));
  if (filters.since) conditions.push(gte(publicationSortKey, filters.since));
  if (filters.until) conditions.push(lt(publicationSortKey, untilBound(filters.until)));
  if (filters.search) {
    conditions.push(sql`${articles.id} in (select rowid from articles_fts where articles_fts match ${filters.search})`);
  }
  try {
    return selectArticles(db, conditions, filters.limit);
  } catch (error) {
    if (filters.search && /fts5|syntax error|unterminated/i.test((error as Error).message)) {
      throw new InvalidSearchError(`--search ${JSON.stringify(filters.search)} is not a valid full-text query: ${(error as Error).message}`);
    }
    throw error;
  }
}

function selectArticles(db: Db, conditions: SQL[], limit: number) {
  const rows = db
    .select()
    .from(articles)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(publicationSortKey), desc(articles.id))
    .limit(limit)
    .all();
  return rows.map(articleFromRow);
}

/** "--until 2019-03-04" means up to the end of that day: compare against the next day. */
function untilBound(until: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) return until;
  const next = new Date(`${until}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
