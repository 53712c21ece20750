/**
 * Writing articles: one upsert keyed by articleKeyOf(), versioned (article-versions.ts). Only
 * the store worker and `ingest import` call this.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, type ArticleRow, type NewArticleRow } from '../../db/schema.ts';
import type { Article } from '../article/article.ts';
import { addressKeyOf, articleKeyOf } from './article-key.ts';
import { addVersion, changesContent, isDifferentStory, sameAsLatestSuspicious, suspiciousRefresh } from './article-versions.ts';

/** Every write transaction of the store: see upsertArticle. */
export const WRITE_TRANSACTION = { behavior: 'immediate' } as const;

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

/**
 * Insert the article, or update the row with the same key, versioning every change of title or
 * text (article-versions.ts). Unchanged content keeps updatedAt, so storing the same result
 * twice (a re-run job) is harmless. Two different stories that share a story code are kept
 * apart: the newcomer is stored under its own address.
 *
 * The transaction is IMMEDIATE: it takes the write lock before its first read. A deferred one
 * reads first and, when another connection (the store worker, `ingest import`) has written in
 * between, SQLite fails its write at once with SQLITE_BUSY instead of waiting for busy_timeout.
 * Inside an outer transaction (the store job) it is a savepoint of that one.
 */
export function upsertArticle(db: Db, article: Article, now: Date): UpsertResult {
  const stamp = now.toISOString();
  const fetchedAt = article.retrievedAt ?? stamp;
  const fields = articleFields(article);
  return db.transaction((tx) => {
    let key = articleKeyOf(article);
    let existing = tx.select().from(articles).where(eq(articles.articleKey, key)).get();
    if (existing && key.startsWith('code:') && isDifferentStory(existing, article)) {
      key = addressKeyOf(article);
      existing = tx.select().from(articles).where(eq(articles.articleKey, key)).get();
    }
    if (!existing) {
      const inserted = tx
        .insert(articles)
        .values({ ...fields, articleKey: key, createdAt: stamp, updatedAt: stamp })
        .returning({ id: articles.id })
        .get();
      addVersion(tx, inserted.id, article, fetchedAt, null);
      return { id: inserted.id, outcome: 'inserted' as const };
    }
    if (sameStoredArticle(existing, fields)) return { id: existing.id, outcome: 'unchanged' as const };
    if (changesContent(existing, article)) {
      const suspicion = suspiciousRefresh(existing, article);
      if (suspicion !== null) {
        if (!sameAsLatestSuspicious(tx, existing.id, article.contentHash)) addVersion(tx, existing.id, article, fetchedAt, suspicion);
        return { id: existing.id, outcome: 'suspicious' as const };
      }
      addVersion(tx, existing.id, article, fetchedAt, null);
    }
    tx.update(articles).set({ ...fields, updatedAt: stamp }).where(eq(articles.id, existing.id)).run();
    return { id: existing.id, outcome: 'updated' as const };
  }, WRITE_TRANSACTION);
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
