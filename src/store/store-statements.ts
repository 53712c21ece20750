/**
 * The store's write path as SQL statements prepared once per connection (better-sqlite3
 * statements with named parameters), instead of an ORM query built and prepared on every call:
 * building the SQL took about 40% of the store's SQLite time (issue 13). The rules of what to
 * write stay in article-store.ts, article-versions.ts, crawl-state-store.ts and
 * refresh-store.ts; this file only holds the statements they run.
 *
 * Column order and names follow db/schema.ts (the source of truth); tests/store cover every
 * statement through those modules, so a schema change that breaks one fails there.
 */
import type Database from 'better-sqlite3';
import type { ArticleRow } from '../../db/schema.ts';

/** Every column of an article row under its schema (camelCase) name, as drizzle reads it. */
const ARTICLE_ROW_COLUMNS = `id, article_key as articleKey, url, canonical_url as canonicalUrl, site, title, authors,
  description, published_at as publishedAt, published_precision as publishedPrecision,
  published_at_utc as publishedAtUtc, published_at_raw as publishedAtRaw, modified_at as modifiedAt,
  retrieved_at as retrievedAt, story_code as storyCode, credit, language, text, word_count as wordCount,
  content_hash as contentHash, extractor, created_at as createdAt, updated_at as updatedAt`;

/** The article's own fields (what an upsert writes), as named parameters. */
const ARTICLE_FIELD_COLUMNS = [
  ['url', 'url'],
  ['canonical_url', 'canonicalUrl'],
  ['site', 'site'],
  ['title', 'title'],
  ['authors', 'authors'],
  ['description', 'description'],
  ['published_at', 'publishedAt'],
  ['published_precision', 'publishedPrecision'],
  ['published_at_utc', 'publishedAtUtc'],
  ['published_at_raw', 'publishedAtRaw'],
  ['modified_at', 'modifiedAt'],
  ['retrieved_at', 'retrievedAt'],
  ['story_code', 'storyCode'],
  ['credit', 'credit'],
  ['language', 'language'],
  ['text', 'text'],
  ['word_count', 'wordCount'],
  ['content_hash', 'contentHash'],
  ['extractor', 'extractor'],
] as const;

export type ArticleFieldName = (typeof ARTICLE_FIELD_COLUMNS)[number][1];

/** An article's fields as bound to the statements: authors as JSON text, nothing undefined. */
export type ArticleFieldParams = Record<ArticleFieldName, string | number | null>;

export interface VersionParams {
  articleId: number;
  version: number;
  fetchedAt: string;
  contentHash: string;
  title: string | null;
  text: string;
  wordCount: number;
  url: string | null;
  /** 1 or 0 (SQLite has no booleans). */
  suspicious: number;
  note: string | null;
}

export interface CrawlOutcomeParams {
  url: string;
  site: string;
  status: string;
  reason: string | null;
  httpStatus: number | null;
  lastError: string | null;
  attempts: number;
  finalUrl: string | null;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  articleId: number | null;
  fetchMs: number | null;
  fetchedAt: string | null;
  nextFetchAt: string | null;
  updatedAt: string;
}

export interface RefreshSourceRow {
  fetchedAt: string | null;
  status: string;
  publishedAtUtc: string | null;
  publishedAt: string | null;
  createdAt: string;
}

export class StoreStatements {
  private readonly articleByKey: Database.Statement<[string], Record<string, unknown>>;
  private readonly insertArticleStatement: Database.Statement<[Record<string, unknown>], { id: number }>;
  private readonly updateArticleStatement: Database.Statement<[Record<string, unknown>]>;
  private readonly latestVersionStatement: Database.Statement<[number], { version: number; contentHash: string }>;
  private readonly latestSuspiciousHashStatement: Database.Statement<[number], { contentHash: string }>;
  private readonly insertVersionStatement: Database.Statement<[VersionParams]>;
  private readonly recordOutcomeStatement: Database.Statement<[CrawlOutcomeParams]>;
  private readonly refreshSourceStatement: Database.Statement<[string], RefreshSourceRow>;
  private readonly setNextFetchAtStatement: Database.Statement<[{ url: string; nextFetchAt: string | null }]>;

  constructor(readonly sqlite: Database.Database) {
    const columns = ARTICLE_FIELD_COLUMNS.map(([column]) => column);
    const params = ARTICLE_FIELD_COLUMNS.map(([, name]) => `@${name}`);
    this.articleByKey = sqlite.prepare(`select ${ARTICLE_ROW_COLUMNS} from articles where article_key = ?`);
    this.insertArticleStatement = sqlite.prepare(
      `insert into articles (article_key, ${columns.join(', ')}, created_at, updated_at)
       values (@articleKey, ${params.join(', ')}, @stamp, @stamp) returning id`,
    );
    this.updateArticleStatement = sqlite.prepare(
      `update articles set ${ARTICLE_FIELD_COLUMNS.map(([column, name]) => `${column} = @${name}`).join(', ')}, updated_at = @stamp where id = @id`,
    );
    this.latestVersionStatement = sqlite.prepare(
      'select version, content_hash as contentHash from article_versions where article_id = ? order by version desc limit 1',
    );
    this.latestSuspiciousHashStatement = sqlite.prepare(
      'select content_hash as contentHash from article_versions where article_id = ? and suspicious = 1 order by version desc limit 1',
    );
    this.insertVersionStatement = sqlite.prepare(
      `insert into article_versions (article_id, version, fetched_at, content_hash, title, text, word_count, url, suspicious, note)
       values (@articleId, @version, @fetchedAt, @contentHash, @title, @text, @wordCount, @url, @suspicious, @note)`,
    );
    // Validators, the final URL and the article are kept from earlier attempts when this one
    // brings none; an outcome older than the one recorded changes nothing (crawl-state-store.ts).
    this.recordOutcomeStatement = sqlite.prepare(
      `insert into crawl_state (url, site, status, reason, http_status, last_error, attempts, final_url, etag, last_modified,
         content_hash, article_id, fetch_ms, fetched_at, next_fetch_at, updated_at)
       values (@url, @site, @status, @reason, @httpStatus, @lastError, @attempts, @finalUrl, @etag, @lastModified,
         @contentHash, @articleId, @fetchMs, @fetchedAt, @nextFetchAt, @updatedAt)
       on conflict (url) do update set
         site = excluded.site, status = excluded.status, reason = excluded.reason, http_status = excluded.http_status,
         last_error = excluded.last_error, attempts = excluded.attempts,
         final_url = coalesce(excluded.final_url, crawl_state.final_url),
         etag = coalesce(excluded.etag, crawl_state.etag),
         last_modified = coalesce(excluded.last_modified, crawl_state.last_modified),
         content_hash = coalesce(excluded.content_hash, crawl_state.content_hash),
         article_id = coalesce(excluded.article_id, crawl_state.article_id),
         fetch_ms = excluded.fetch_ms, fetched_at = excluded.fetched_at, next_fetch_at = excluded.next_fetch_at,
         updated_at = excluded.updated_at
       where crawl_state.fetched_at is null or excluded.fetched_at >= crawl_state.fetched_at`,
    );
    this.refreshSourceStatement = sqlite.prepare(
      `select c.fetched_at as fetchedAt, c.status as status, a.published_at_utc as publishedAtUtc,
         a.published_at as publishedAt, a.created_at as createdAt
       from crawl_state c join articles a on a.id = c.article_id where c.url = ?`,
    );
    this.setNextFetchAtStatement = sqlite.prepare('update crawl_state set next_fetch_at = @nextFetchAt where url = @url');
  }

  findArticleByKey(key: string): ArticleRow | undefined {
    const row = this.articleByKey.get(key);
    if (!row) return undefined;
    return { ...row, authors: JSON.parse(row['authors'] as string) } as ArticleRow;
  }

  insertArticle(articleKey: string, fields: ArticleFieldParams, stamp: string): number {
    return this.insertArticleStatement.get({ ...fields, articleKey, stamp })!.id;
  }

  updateArticle(id: number, fields: ArticleFieldParams, stamp: string): void {
    this.updateArticleStatement.run({ ...fields, id, stamp });
  }

  latestVersion(articleId: number): { version: number; contentHash: string } | undefined {
    return this.latestVersionStatement.get(articleId);
  }

  latestSuspiciousHash(articleId: number): string | undefined {
    return this.latestSuspiciousHashStatement.get(articleId)?.contentHash;
  }

  insertVersion(params: VersionParams): void {
    this.insertVersionStatement.run(params);
  }

  recordOutcome(params: CrawlOutcomeParams): void {
    this.recordOutcomeStatement.run(params);
  }

  refreshSource(url: string): RefreshSourceRow | undefined {
    return this.refreshSourceStatement.get(url);
  }

  setNextFetchAt(url: string, nextFetchAt: string | null): void {
    this.setNextFetchAtStatement.run({ url, nextFetchAt });
  }
}

/** One set of statements per connection, prepared on its first write. */
const byConnection = new WeakMap<Database.Database, StoreStatements>();

export function storeStatements(sqlite: Database.Database): StoreStatements {
  let statements = byConnection.get(sqlite);
  if (!statements) {
    statements = new StoreStatements(sqlite);
    byConnection.set(sqlite, statements);
  }
  return statements;
}

/** The article's fields as the statements bind them. */
export function articleFieldParams(fields: { [K in ArticleFieldName]?: unknown }): ArticleFieldParams {
  const params = {} as ArticleFieldParams;
  for (const [, name] of ARTICLE_FIELD_COLUMNS) {
    const value = fields[name];
    params[name] = name === 'authors' ? JSON.stringify(value ?? []) : ((value ?? null) as string | number | null);
  }
  return params;
}
