/**
 * Reading articles for the HTTP API and the browse page: pages in a stable order (keyset
 * pagination), one article, full-text search ranked by BM25 with snippets, and the per-site and
 * per-day counts the status view draws. Read-only.
 */
import { and, desc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, crawlState, type ArticleRow } from '../../db/schema.ts';
import { articleFromRow } from './article-store.ts';

export type ArticleRecord = ReturnType<typeof articleFromRow>;

export interface ArticleListFilters {
  /** Host as stored ("theiranproject.com"); a leading "www." is ignored. */
  site?: string | undefined;
  /** Published at or after this UTC instant ("2017-07-25T18:13:00Z"), compared on the stored UTC instant. */
  since?: string | undefined;
  /** Published before this UTC instant (exclusive). */
  until?: string | undefined;
  storyCode?: string | undefined;
  /** BCP 47 tag as stored ("fa"). */
  language?: string | undefined;
  /** SQLite FTS5 query over title and text. */
  search?: string | undefined;
}

/**
 * Where a page ends, in the list's order: newest UTC instant first, articles without a known
 * instant last, ties broken by id (newest row first). Every row has one place in this order,
 * so a page that starts after a position never repeats or skips a row, whatever is inserted.
 */
export interface ListPosition {
  publishedAtUtc: string | null;
  id: number;
}

/** The search text is not a valid FTS5 query (unbalanced quotes, a bare operator). */
export class InvalidFullTextQueryError extends Error {
  override readonly name = 'InvalidFullTextQueryError';
}

/** Weight of a match in the title against one in the body, in the BM25 rank. */
const TITLE_WEIGHT = 5.0;
const TEXT_WEIGHT = 1.0;
/** Tokens around the matches in a snippet: about one sentence. */
const SNIPPET_TOKENS = 28;
/**
 * Markers FTS5 puts around matched terms. Control characters cannot occur in stored text, so the
 * caller can escape the snippet for HTML and then turn these into <mark> safely.
 */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
const ELLIPSIS = '…';

export function normalizeSite(site: string): string {
  return site.toLowerCase().replace(/^www\./, '');
}

function filterConditions(filters: ArticleListFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.site) conditions.push(eq(articles.site, normalizeSite(filters.site)));
  if (filters.storyCode) conditions.push(eq(articles.storyCode, filters.storyCode));
  if (filters.language) conditions.push(eq(articles.language, filters.language.toLowerCase()));
  if (filters.since) conditions.push(gte(articles.publishedAtUtc, filters.since));
  if (filters.until) conditions.push(lt(articles.publishedAtUtc, filters.until));
  if (filters.search) {
    conditions.push(sql`${articles.id} in (select rowid from articles_fts where articles_fts match ${filters.search})`);
  }
  return conditions;
}

/** The list order: newest UTC instant first, ties by id; SQLite sorts NULL lowest, so DESC puts them last. */
const LIST_ORDER = [desc(articles.publishedAtUtc), desc(articles.id)] as const;

function rethrowSearchError(error: unknown, search: string | undefined): never {
  if (search !== undefined && /fts5|syntax error|unterminated|no such column/i.test((error as Error).message)) {
    throw new InvalidFullTextQueryError(`${JSON.stringify(search)} is not a valid full-text query: ${(error as Error).message}`);
  }
  throw error;
}

export interface ArticlePage {
  items: ArticleRecord[];
  /** The position of the last item when more rows follow, else null. */
  next: ListPosition | null;
}

/**
 * One page of articles matching `filters`, starting after `after` (or at the top). The dated
 * rows and the undated tail are read by two index range scans (a row-value comparison on
 * (published_at_utc, id) for the first, id alone for the second), so a page deep behind a
 * cursor costs what the first page costs.
 */
export function listArticles(db: Db, filters: ArticleListFilters, after: ListPosition | null, limit: number): ArticlePage {
  const conditions = filterConditions(filters);
  const select = (extra: SQL[], order: readonly SQL[], count: number) =>
    db
      .select()
      .from(articles)
      .where(and(...conditions, ...extra))
      .orderBy(...order)
      .limit(count)
      .all();
  let rows: ArticleRow[] = [];
  try {
    if (after === null || after.publishedAtUtc !== null) {
      const dated = [sql`${articles.publishedAtUtc} is not null`];
      if (after) dated.push(sql`(${articles.publishedAtUtc}, ${articles.id}) < (${after.publishedAtUtc}, ${after.id})`);
      rows = select(dated, LIST_ORDER, limit + 1);
    }
    if (rows.length <= limit) {
      const undated = [sql`${articles.publishedAtUtc} is null`];
      if (after?.publishedAtUtc === null) undated.push(lt(articles.id, after.id));
      // Ordered by id alone: all their instants are null, and so the index on the instant serves.
      rows = rows.concat(select(undated, [desc(articles.id)], limit + 1 - rows.length));
    }
  } catch (error) {
    rethrowSearchError(error, filters.search);
  }
  const items = rows.slice(0, limit).map(articleFromRow);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? { publishedAtUtc: last.publishedAtUtc, id: last.id } : null };
}

export function getArticle(db: Db, id: number): ArticleRecord | null {
  const row = db.select().from(articles).where(eq(articles.id, id)).get();
  return row ? articleFromRow(row) : null;
}

export interface SearchHit {
  article: ArticleRecord;
  /** BM25 rank as SQLite computes it: lower is a better match. */
  score: number;
  /** The title with matches between MATCH_START and MATCH_END. */
  titleMarked: string;
  /** A passage of the text around the best matches, marked the same way. */
  snippetMarked: string;
}

/** Where a search page ends: its last hit's rank and id. */
export interface SearchPosition {
  score: number;
  id: number;
}

export interface SearchPage {
  hits: SearchHit[];
  next: SearchPosition | null;
}

/**
 * Full-text search ranked by BM25 (FTS5's bm25(), title weighted above text), best first, with
 * highlighted snippets (FTS5's snippet()). Two steps: rank every match and keep one page of ids,
 * then make snippets for that page only (a snippet costs far more than a rank, and SQLite would
 * otherwise make one for every match before sorting). Ranks change as the corpus grows (BM25
 * depends on document frequencies), so a later page is as stable as the corpus in between.
 */
export function searchArticles(
  db: Db,
  query: string,
  filters: Omit<ArticleListFilters, 'search'>,
  after: SearchPosition | null,
  limit: number,
): SearchPage {
  const rank = sql<number>`bm25(articles_fts, ${sql.raw(String(TITLE_WEIGHT))}, ${sql.raw(String(TEXT_WEIGHT))})`;
  const matchId = sql<number>`articles_fts.rowid`;
  const conditions = [sql`articles_fts match ${query}`, ...filterConditions(filters)];
  if (after) conditions.push(or(gt(rank, after.score), and(eq(rank, after.score), gt(matchId, after.id)))!);
  let ranked: Array<{ id: number; score: number }>;
  let rows;
  try {
    const needsArticles = filterConditions(filters).length > 0;
    const base = db.select({ id: matchId, score: rank }).from(sql`articles_fts`);
    ranked = (needsArticles ? base.innerJoin(articles, sql`${articles.id} = articles_fts.rowid`) : base)
      .where(and(...conditions))
      .orderBy(rank, matchId)
      .limit(limit + 1)
      .all();
    const pageIds = ranked.slice(0, limit).map((row) => row.id);
    rows = pageIds.length === 0
      ? []
      : db
          .select({
            row: articles,
            titleMarked: sql<string>`highlight(articles_fts, 0, ${MATCH_START}, ${MATCH_END})`,
            snippetMarked: sql<string>`snippet(articles_fts, 1, ${MATCH_START}, ${MATCH_END}, ${ELLIPSIS}, ${sql.raw(String(SNIPPET_TOKENS))})`,
          })
          .from(sql`articles_fts`)
          .innerJoin(articles, sql`${articles.id} = articles_fts.rowid`)
          .where(and(sql`articles_fts match ${query}`, inArray(matchId, pageIds)))
          .all();
  } catch (error) {
    rethrowSearchError(error, query);
  }
  const byId = new Map(rows.map((row) => [row.row.id, row]));
  const hits = ranked.slice(0, limit).flatMap(({ id, score }) => {
    const row = byId.get(id);
    return row ? [{ article: articleFromRow(row.row), score, titleMarked: row.titleMarked ?? '', snippetMarked: row.snippetMarked ?? '' }] : [];
  });
  const last = ranked[limit - 1];
  return { hits, next: ranked.length > limit && last ? { score: last.score, id: last.id } : null };
}

/** The newest change in the articles table: what a list's validators depend on. */
export interface ArticlesVersion {
  count: number;
  maxId: number;
  lastUpdatedAt: string | null;
}

export function readArticlesVersion(db: Db): ArticlesVersion {
  const row = db
    .select({
      count: sql<number>`count(*)`,
      maxId: sql<number>`coalesce(max(${articles.id}), 0)`,
      lastUpdatedAt: sql<string | null>`max(${articles.updatedAt})`,
    })
    .from(articles)
    .get();
  return { count: row?.count ?? 0, maxId: row?.maxId ?? 0, lastUpdatedAt: row?.lastUpdatedAt ?? null };
}

export interface SiteSummary {
  site: string;
  articles: number;
  /** The newest UTC publication instant among its articles. */
  newestPublishedAtUtc: string | null;
  lastStoredAt: string | null;
  languages: string[];
  urlsByStatus: Record<string, number>;
}

/** Every site seen, from its articles and its crawl outcomes. */
export function listSiteSummaries(db: Db): SiteSummary[] {
  const articleRows = db
    .select({
      site: sql<string>`coalesce(${articles.site}, '')`,
      n: sql<number>`count(*)`,
      newest: sql<string | null>`max(${articles.publishedAtUtc})`,
      lastStored: sql<string | null>`max(${articles.updatedAt})`,
      languages: sql<string | null>`group_concat(distinct ${articles.language})`,
    })
    .from(articles)
    .groupBy(articles.site)
    .all();
  const outcomeRows = db
    .select({ site: crawlState.site, status: crawlState.status, n: sql<number>`count(*)` })
    .from(crawlState)
    .groupBy(crawlState.site, crawlState.status)
    .all();
  const bySite = new Map<string, SiteSummary>();
  const summaryOf = (site: string) => {
    let summary = bySite.get(site);
    if (!summary) {
      summary = { site, articles: 0, newestPublishedAtUtc: null, lastStoredAt: null, languages: [], urlsByStatus: {} };
      bySite.set(site, summary);
    }
    return summary;
  };
  for (const row of articleRows) {
    Object.assign(summaryOf(row.site), {
      articles: row.n,
      newestPublishedAtUtc: row.newest,
      lastStoredAt: row.lastStored,
      languages: row.languages ? row.languages.split(',').sort() : [],
    });
  }
  for (const row of outcomeRows) summaryOf(row.site).urlsByStatus[row.status] = row.n;
  return [...bySite.values()].sort((a, b) => a.site.localeCompare(b.site));
}

export interface DailyCount {
  site: string;
  /** The publisher's calendar day ("2017-07-25"), as the page states it. */
  day: string;
  count: number;
}

/**
 * Articles per publisher's day per site, over the `days` days ending on the newest day in the
 * database (so an archive of old articles still shows its last month, not an empty one).
 */
export function countArticlesPerDay(db: Db, days: number): DailyCount[] {
  const publisherDay = sql<string>`substr(coalesce(${articles.publishedAt}, ${articles.publishedAtUtc}), 1, 10)`;
  const newest = db.select({ day: sql<string | null>`max(${publisherDay})` }).from(articles).get()?.day;
  if (!newest || !/^\d{4}-\d{2}-\d{2}$/.test(newest)) return [];
  const first = new Date(`${newest}T00:00:00Z`);
  first.setUTCDate(first.getUTCDate() - (days - 1));
  const firstDay = first.toISOString().slice(0, 10);
  return db
    .select({ site: sql<string>`coalesce(${articles.site}, '')`, day: publisherDay, count: sql<number>`count(*)` })
    .from(articles)
    .where(and(gte(publisherDay, firstDay), lte(publisherDay, newest)))
    .groupBy(articles.site, publisherDay)
    .orderBy(publisherDay)
    .all();
}
