/**
 * Writing articles: one upsert keyed by articleKeyOf(), versioned (article-versions.ts). Only
 * the store worker and `ingest import` call this.
 */
import type { Db } from '../../db/client.ts';
import type { ArticleRow, NewArticleRow } from '../../db/schema.ts';
import type { Article } from '../article/article.ts';
import { addressKeyOf, articleKeyOf } from './article-key.ts';
import { addVersion, changesContent, isDifferentStory, sameAsLatestSuspicious, suspiciousRefresh } from './article-versions.ts';
import { articleFieldParams, storeStatements, type StoreStatements } from './store-statements.ts';

/**
 * Runs `write` in one IMMEDIATE transaction on the store's connection: it takes the write lock
 * before its first read. A deferred one reads first and, when another connection (the store
 * worker, `ingest import`) has written in between, SQLite fails its write at once with
 * SQLITE_BUSY instead of waiting for busy_timeout. Inside an outer transaction it is a savepoint
 * of that one.
 */
export function inWriteTransaction<T>(db: Db, write: (statements: StoreStatements) => T): T {
  const statements = storeStatements(db.$client);
  return db.$client.transaction(() => write(statements)).immediate();
}

/**
 * inserted: a new article (version 1); updated: its title or text changed (a new version) or
 * only its metadata did; unchanged: nothing to write; suspicious: a refresh with far less text,
 * kept as a suspicious version while the article keeps its text.
 */
export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'suspicious';

export interface UpsertResult {
  id: number;
  outcome: UpsertOutcome;
}

/** writeArticle in a transaction of its own (`ingest import`, tests). */
export function upsertArticle(db: Db, article: Article, now: Date): UpsertResult {
  return inWriteTransaction(db, (statements) => writeArticle(statements, article, now));
}

/**
 * Insert the article, or update the row with the same key, versioning every change of title or
 * text (article-versions.ts). Unchanged content keeps updatedAt, so storing the same result
 * twice (a re-run job) is harmless. Two different stories that share a story code are kept
 * apart: the newcomer is stored under its own address. Runs inside the caller's write
 * transaction (inWriteTransaction; the store worker's batch holds many of these).
 */
export function writeArticle(statements: StoreStatements, article: Article, now: Date): UpsertResult {
  const stamp = now.toISOString();
  const fetchedAt = article.retrievedAt ?? stamp;
  const fields = articleFields(article);
  let key = articleKeyOf(article);
  let existing = statements.findArticleByKey(key);
  if (existing && key.startsWith('code:') && isDifferentStory(existing, article)) {
    key = addressKeyOf(article);
    existing = statements.findArticleByKey(key);
  }
  if (!existing) {
    const id = statements.insertArticle(key, articleFieldParams(fields), stamp);
    addVersion(statements, id, article, fetchedAt, null);
    return { id, outcome: 'inserted' };
  }
  if (sameStoredArticle(existing, fields)) return { id: existing.id, outcome: 'unchanged' };
  if (changesContent(existing, article)) {
    const suspicion = suspiciousRefresh(existing, article);
    if (suspicion !== null) {
      if (!sameAsLatestSuspicious(statements, existing.id, article.contentHash)) addVersion(statements, existing.id, article, fetchedAt, suspicion);
      return { id: existing.id, outcome: 'suspicious' };
    }
    addVersion(statements, existing.id, article, fetchedAt, null);
  }
  statements.updateArticle(existing.id, articleFieldParams(fields), stamp);
  return { id: existing.id, outcome: 'updated' };
}

type ArticleFields = Omit<NewArticleRow, 'id' | 'articleKey' | 'createdAt' | 'updatedAt'>;

function articleFields(article: Article): ArticleFields {
  return {
    url: article.url,
    canonicalUrl: article.canonicalUrl,
    site: article.site,
    title: article.title,
    authors: article.authors,
    description: article.description,
    publishedAt: article.publishedAt,
    publishedPrecision: article.publishedPrecision,
    publishedAtUtc: article.publishedAtUtc,
    publishedAtRaw: article.publishedAtRaw,
    modifiedAt: article.modifiedAt,
    retrievedAt: article.retrievedAt,
    storyCode: article.storyCode,
    credit: article.credit,
    language: article.language,
    text: article.text,
    wordCount: article.wordCount,
    contentHash: article.contentHash,
    extractor: article.extractor,
  };
}

/** The retrieval time changes on every fetch; everything else must match to call it unchanged. */
function sameStoredArticle(existing: ArticleRow, fields: ArticleFields): boolean {
  return (Object.keys(fields) as Array<keyof ArticleFields>)
    .filter((name) => name !== 'retrievedAt')
    .every((name) => JSON.stringify(existing[name] ?? null) === JSON.stringify(fields[name] ?? null));
}

/** A stored row in the public Article shape (what `ingest query --format json` prints). */
export function articleFromRow(row: ArticleRow): Article & { id: number; storedAt: string; updatedAt: string } {
  return {
    id: row.id,
    url: row.url,
    canonicalUrl: row.canonicalUrl,
    site: row.site,
    title: row.title,
    authors: row.authors,
    description: row.description,
    publishedAt: row.publishedAt,
    publishedPrecision: row.publishedPrecision,
    publishedAtUtc: row.publishedAtUtc,
    publishedAtRaw: row.publishedAtRaw,
    modifiedAt: row.modifiedAt,
    retrievedAt: row.retrievedAt,
    storyCode: row.storyCode,
    credit: row.credit,
    language: row.language,
    text: row.text,
    wordCount: row.wordCount,
    contentHash: row.contentHash,
    extractor: row.extractor,
    storedAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
