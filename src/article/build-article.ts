/**
 * Building an Article, field by field, in one place: every extractor (HTML, text dump) gives
 * the fields it knows, and this fills the rest (null, no authors) and derives the text's word
 * count and content hash, so an article is always complete and its fields always in the
 * contract's order (DESIGN.md, "The article").
 */
import type { Article, DatePrecision } from './article.ts';
import { contentHash, countWords } from './article-text.ts';

/** The fields an extractor knows; the text and the extractor's name are required. */
export type ArticleFields = Partial<Omit<Article, 'text' | 'wordCount' | 'contentHash' | 'extractor'>> & {
  text: string;
  extractor: string;
};

/** The date fields of an article, as date finding returns them. */
export interface ArticleDates {
  publishedAt: string | null;
  publishedPrecision: DatePrecision | null;
  publishedAtUtc: string | null;
  publishedAtRaw: string | null;
  modifiedAt: string | null;
  storyCode: string | null;
}

/** No dates and no story code. */
export const NO_DATES: ArticleDates = {
  publishedAt: null, publishedPrecision: null, publishedAtUtc: null, publishedAtRaw: null, modifiedAt: null, storyCode: null,
};

export function buildArticle(fields: ArticleFields): Article {
  return {
    url: fields.url ?? null,
    canonicalUrl: fields.canonicalUrl ?? null,
    site: fields.site ?? null,
    title: fields.title ?? null,
    authors: fields.authors ?? [],
    description: fields.description ?? null,
    publishedAt: fields.publishedAt ?? null,
    publishedPrecision: fields.publishedPrecision ?? null,
    publishedAtUtc: fields.publishedAtUtc ?? null,
    publishedAtRaw: fields.publishedAtRaw ?? null,
    modifiedAt: fields.modifiedAt ?? null,
    retrievedAt: fields.retrievedAt ?? null,
    storyCode: fields.storyCode ?? null,
    credit: fields.credit ?? null,
    language: fields.language ?? null,
    text: fields.text,
    wordCount: countWords(fields.text),
    contentHash: contentHash(fields.text),
    extractor: fields.extractor,
  };
}

/** The article of an input with no text: only what the caller already knew. */
export function emptyArticle(extractor: string, known: { url?: string | null; retrievedAt?: string | null } = {}): Article {
  return buildArticle({ url: known.url ?? null, retrievedAt: known.retrievedAt ?? null, text: '', extractor });
}
