/**
 * Reading the clean database: the filters of `ingest query` and `ingest export`, as one SQL
 * statement whose rows are iterated (better-sqlite3's `.iterate()`: one row at a time, so an
 * export of the whole database runs in constant memory), counted, or collected.
 */
import { PRIMARY_LANGUAGE, PUBLICATION_INSTANT } from '../../db/article-expressions.ts';
import type { Db } from '../../db/client.ts';
import { sqliteOf, type SqliteReader } from './sqlite-reader.ts';

export interface ArticleFilters {
  /** Host as stored ("theiranproject.com"); a leading "www." is ignored. */
  site?: string;
  /** Published at or after this UTC instant ("2023-11-02T15:00:00Z"). */
  publishedFrom?: string;
  /** Published before this UTC instant (exclusive). */
  publishedBefore?: string;
  storyCode?: string;
  /** BCP 47 language; "en" also matches "en-GB". */
  language?: string;
  /** Full-text search over title and text (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*). */
  search?: string;
  /** Most rows; undefined for all. */
  limit?: number;
  /** Rows skipped first (paging). */
  offset?: number;
}

/** The search text is not a valid FTS5 query (unbalanced quotes, a bare operator). */
export class InvalidSearchError extends Error {
  override readonly name = 'InvalidSearchError';
}

/** Public field name -> column, in the order records print (the Article shape plus row metadata). */
const COLUMNS = {
  id: 'id',
  url: 'url',
  canonicalUrl: 'canonical_url',
  site: 'site',
  title: 'title',
  authors: 'authors',
  description: 'description',
  publishedAt: 'published_at',
  publishedPrecision: 'published_precision',
  publishedAtUtc: 'published_at_utc',
  publishedAtRaw: 'published_at_raw',
  modifiedAt: 'modified_at',
  retrievedAt: 'retrieved_at',
  storyCode: 'story_code',
  credit: 'credit',
  language: 'language',
  text: 'text',
  wordCount: 'word_count',
  contentHash: 'content_hash',
  extractor: 'extractor',
  storedAt: 'created_at',
  updatedAt: 'updated_at',
} as const;

export type ArticleField = keyof typeof COLUMNS;
export const ARTICLE_FIELDS = Object.keys(COLUMNS) as ArticleField[];

/** Fields stored as JSON text and returned parsed. */
const JSON_FIELDS: ReadonlySet<ArticleField> = new Set(['authors']);

export type ArticleRecord = Partial<Record<ArticleField, unknown>>;

interface BuiltQuery {
  where: string;
  params: unknown[];
}

/**
 * A search matching at most this many articles is read match by match and sorted (each match
 * costs a row lookup, about 10 µs); one matching more is read in the order of the publication
 * index, each row checked against the matches, which stops after a page of hits. At a million
 * articles a common word (120,000 matches) takes 1.2 s the first way and 25 ms the second; a
 * rare one takes under 2 ms the first way and up to 200 ms the second.
 */
const SEARCH_LOOKUP_MAX_MATCHES = 2_000;

/** How the search filter is joined: by looking up each match, or by checking rows in index order. */
export type SearchPlan = 'lookup' | 'scan';

function buildWhere(filters: ArticleFilters, searchPlan: SearchPlan = 'lookup'): BuiltQuery {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filters.site) {
    clauses.push('site = ?');
    params.push(filters.site.toLowerCase().replace(/^www\./, ''));
  }
  if (filters.storyCode) {
    clauses.push('story_code = ?');
    params.push(filters.storyCode);
  }
  if (filters.language) {
    // A bare language ("en") is its primary subtag, with every region; a tag with a region
    // ("en-GB") is that tag. Either way one index holds the rows in publication order.
    const tag = filters.language.toLowerCase();
    clauses.push(tag.includes('-') ? 'lower(language) = ?' : `${PRIMARY_LANGUAGE} = ?`);
    params.push(tag);
  }
  if (filters.publishedFrom) {
    clauses.push(`${PUBLICATION_INSTANT} >= ?`);
    params.push(filters.publishedFrom);
  }
  if (filters.publishedBefore) {
    clauses.push(`${PUBLICATION_INSTANT} < ?`);
    params.push(filters.publishedBefore);
  }
  if (filters.search) {
    // "+id" keeps SQLite from driving the query by the matches' ids: it reads an index in order.
    clauses.push(`${searchPlan === 'scan' ? '+id' : 'id'} in (select rowid from articles_fts where articles_fts match ?)`);
    params.push(filters.search);
  }
  return { where: clauses.length ? `where ${clauses.join(' and ')}` : '', params };
}

/** How many articles the search matches (the full-text index alone: milliseconds). */
function countSearchMatches(db: Db | SqliteReader, search: string): number {
  return (sqliteOf(db).prepare('select count(*) as n from articles_fts where articles_fts match ?').get(search) as { n: number }).n;
}

function searchPlanFor(db: Db | SqliteReader, filters: ArticleFilters): SearchPlan {
  if (!filters.search) return 'lookup';
  const matches = withSearchErrors(filters, () => countSearchMatches(db, filters.search!));
  return matches <= SEARCH_LOOKUP_MAX_MATCHES ? 'lookup' : 'scan';
}

/** The statement of iterateArticles: its SQL and parameters (tests read its query plan). */
export function articleSelectStatement(filters: ArticleFilters, fields: readonly ArticleField[] = ARTICLE_FIELDS, searchPlan: SearchPlan = 'lookup'): { sql: string; params: unknown[] } {
  const { where, params } = buildWhere(filters, searchPlan);
  const select = fields.map((field) => `${COLUMNS[field]} as "${field}"`).join(', ');
  const page = filters.limit === undefined && filters.offset === undefined ? '' : ` limit ${filters.limit ?? -1} offset ${filters.offset ?? 0}`;
  // Ordered by the very expression articles_publication_instant_idx (and the site and language
  // indexes) hold, so rows come in index order: no sort, and a limit stops the scan early.
  return { sql: `select ${select} from articles ${where} order by ${PUBLICATION_INSTANT} desc, id desc${page}`, params };
}

/** Rows matching the filters, newest first, one at a time, with only the chosen fields. */
export function iterateArticles(db: Db | SqliteReader, filters: ArticleFilters, fields: readonly ArticleField[] = ARTICLE_FIELDS): IterableIterator<ArticleRecord> {
  const { sql, params } = articleSelectStatement(filters, fields, searchPlanFor(db, filters));
  const statement = withSearchErrors(filters, () => sqliteOf(db).prepare(sql));
  const rows = withSearchErrors(filters, () => statement.iterate(...params) as IterableIterator<Record<string, unknown>>);
  const jsonFields = fields.filter((field) => JSON_FIELDS.has(field));
  if (jsonFields.length === 0) return guardIteration(filters, rows) as IterableIterator<ArticleRecord>;
  return (function* () {
    for (const row of guardIteration(filters, rows)) {
      for (const field of jsonFields) row[field] = typeof row[field] === 'string' ? JSON.parse(row[field]) : row[field];
      yield row as ArticleRecord;
    }
  })();
}

/** How many articles match the filters (paging ignored). */
export function countMatchingArticles(db: Db | SqliteReader, filters: ArticleFilters): number {
  const { search, limit: _limit, offset: _offset, ...others } = filters;
  if (search && Object.values(others).every((value) => value === undefined)) return withSearchErrors(filters, () => countSearchMatches(db, search));
  const { where, params } = buildWhere(filters, searchPlanFor(db, filters));
  return withSearchErrors(filters, () => (sqliteOf(db).prepare(`select count(*) as n from articles ${where}`).get(...params) as { n: number }).n);
}

/** The matching articles as an array (small results: tests, the table view). */
export function queryArticles(db: Db | SqliteReader, filters: ArticleFilters, fields?: readonly ArticleField[]): ArticleRecord[] {
  return [...iterateArticles(db, filters, fields)];
}

function* guardIteration<T>(filters: ArticleFilters, rows: IterableIterator<T>): Generator<T> {
  const iterator = rows[Symbol.iterator]();
  try {
    for (;;) {
      const next = withSearchErrors(filters, () => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // A consumer that stops early (a closed pipe) frees the statement, so the database can close.
    iterator.return?.();
  }
}

function withSearchErrors<T>(filters: ArticleFilters, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (filters.search && /fts5|syntax error|unterminated/i.test((error as Error).message)) {
      throw new InvalidSearchError(`--search ${JSON.stringify(filters.search)} is not a valid full-text query: ${(error as Error).message}`);
    }
    throw error;
  }
}
