/**
 * Article versions: every change of an article's title or text is a numbered row in
 * article_versions, and the rules that keep a refresh from silently overwriting a good article
 * (README, "No silent overwrites"). The judgements are pure functions; the writes take the
 * transaction of the upsert.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articleVersions, type ArticleRow, type ArticleVersionRow } from '../../db/schema.ts';
import type { Article } from '../article/article.ts';
import type { StoreStatements } from './store-statements.ts';

/**
 * A refresh whose text has fewer than this share of the stored article's words is suspicious
 * (a soft 404, a paywall teaser, an error page served with 200): corrections add or cut a
 * sentence or two, they do not drop half the story.
 */
export const SUSPICIOUS_WORD_RATIO = 0.5;

/** Articles shorter than this are not judged: for a brief, a lost sentence is half the text. */
export const MIN_WORDS_TO_JUDGE = 40;

/**
 * Word overlap (Jaccard index of the word sets) below which two texts are different stories.
 * A corrected article keeps most of its words; two stories sharing a story code share few.
 */
export const SAME_STORY_MIN_OVERLAP = 0.3;

/** Why a refresh should not replace the stored article, or null when it may. */
export function suspiciousRefresh(stored: Pick<ArticleRow, 'wordCount'>, fresh: Pick<Article, 'wordCount'>): string | null {
  if (stored.wordCount < MIN_WORDS_TO_JUDGE) return null;
  if (fresh.wordCount < stored.wordCount * SUSPICIOUS_WORD_RATIO) {
    return `text fell from ${stored.wordCount} to ${fresh.wordCount} words`;
  }
  return null;
}

/**
 * Whether an article found under the same story code is really another story: fetched from
 * another address, with another title and little text in common.
 */
export function isDifferentStory(stored: Pick<ArticleRow, 'url' | 'canonicalUrl' | 'title' | 'text'>, fresh: Pick<Article, 'url' | 'canonicalUrl' | 'title' | 'text'>): boolean {
  const addresses = new Set([stored.url, stored.canonicalUrl].filter(Boolean));
  if (addresses.has(fresh.url) || addresses.has(fresh.canonicalUrl)) return false;
  if ((stored.title ?? '') === (fresh.title ?? '')) return false;
  return wordOverlap(stored.text, fresh.text) < SAME_STORY_MIN_OVERLAP;
}

export function wordOverlap(a: string, b: string): number {
  const wordsA = new Set(a.toLowerCase().split(/\s+/).filter(Boolean));
  const wordsB = new Set(b.toLowerCase().split(/\s+/).filter(Boolean));
  if (wordsA.size === 0 && wordsB.size === 0) return 1;
  let shared = 0;
  for (const word of wordsA) if (wordsB.has(word)) shared += 1;
  return shared / (wordsA.size + wordsB.size - shared);
}

/** Whether the title or text differ (what makes a new version; other fields are metadata). */
export function changesContent(stored: Pick<ArticleRow, 'title' | 'contentHash'>, fresh: Pick<Article, 'title' | 'contentHash'>): boolean {
  return stored.contentHash !== fresh.contentHash || (stored.title ?? null) !== (fresh.title ?? null);
}

/** Adds the next version of the article, inside the caller's write transaction. */
export function addVersion(statements: StoreStatements, articleId: number, article: Article, fetchedAt: string, note: string | null): number {
  const version = (statements.latestVersion(articleId)?.version ?? 0) + 1;
  statements.insertVersion({
    articleId,
    version,
    fetchedAt,
    contentHash: article.contentHash,
    title: article.title,
    text: article.text,
    wordCount: article.wordCount,
    url: article.url,
    suspicious: note !== null ? 1 : 0,
    note,
  });
  return version;
}

export function listVersions(db: Db, articleId: number): ArticleVersionRow[] {
  return db.select().from(articleVersions).where(eq(articleVersions.articleId, articleId)).orderBy(asc(articleVersions.version)).all();
}

/** Whether the latest version already is this suspicious text (a teaser served again adds nothing). */
export function sameAsLatestSuspicious(statements: StoreStatements, articleId: number, contentHash: string): boolean {
  return statements.latestSuspiciousHash(articleId) === contentHash && statements.latestVersion(articleId)?.contentHash === contentHash;
}
