import { createHash } from 'node:crypto';
import type { Article } from '../../src/article/article.ts';

/** A complete Article for store and CLI tests; override what the test is about. */
export function makeArticle(overrides: Partial<Article> = {}): Article {
  const text = overrides.text ?? 'First paragraph of the body.\n\nSecond paragraph of the body.';
  return {
    url: 'https://news.example/a/1',
    canonicalUrl: 'https://news.example/a/1',
    site: 'news.example',
    title: 'A headline',
    authors: [],
    description: null,
    publishedAt: '2017-07-25T22:43:00+04:30',
    publishedPrecision: 'minute',
    publishedAtUtc: '2017-07-25T18:13:00Z',
    publishedAtRaw: 'Tuesday 25 July 2017 - 22:43',
    modifiedAt: null,
    retrievedAt: '2024-03-28T10:00:00.000Z',
    storyCode: null,
    credit: null,
    language: 'en',
    text,
    wordCount: text.split(/\s+/).filter(Boolean).length,
    contentHash: createHash('sha256').update(text).digest('hex'),
    extractor: 'test@1',
    ...overrides,
  };
}
