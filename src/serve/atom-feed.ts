/**
 * Atom 1.0 (RFC 4287) of clean articles: a feed with id, title, updated, author and self link;
 * each entry with a permanent id, title, updated, published (when the instant is known), author,
 * alternate link, summary and the clean text as content. Pure: articles in, XML out.
 */
import { createHash } from 'node:crypto';
import type { ArticleRecord } from '../store/article-listing.ts';
import { escapeHtml } from './html/escape.ts';

/** Characters of a summary made from the text when the article has no description. */
const SUMMARY_CHARS = 400;
/** Who the feed says made it when an entry names no author (RFC 4287 requires one). */
const FEED_AUTHOR = 'article-ingest';

/** Characters XML 1.0 does not allow, even escaped: C0 controls but tab and newlines, lone surrogates, U+FFFE/F. */
const NOT_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(text: string): string {
  return escapeHtml(text.replace(NOT_XML_CHARS, ''));
}

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1) as a permanent `urn:uuid:` id. */
export function uuidUrn(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An RFC 3339 date-time (Atom's date construct), or null for a bare day or nothing. */
export function atomDateTime(value: string | null): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)
    ? value.replace(/T(\d{2}:\d{2})(Z|[+-])/i, 'T$1:00$2')
    : null;
}

/** The entry's permanent id: the article's canonical address, else a UUID of its row. */
export function entryId(article: ArticleRecord): string {
  return article.canonicalUrl ?? article.url ?? uuidUrn(`article-ingest:article:${article.id}`);
}

export interface AtomFeedInput {
  /** Permanent id of this feed (the same filters give the same id). */
  id: string;
  title: string;
  /** Absolute URL of this feed document. */
  selfUrl: string;
  /** Absolute URL of the same articles in the browse page. */
  alternateUrl: string;
  /** When anything in the feed last changed (RFC 3339). */
  updated: string;
  articles: readonly ArticleRecord[];
  /** Absolute URL of an article's page in the browse view. */
  articlePageUrl: (article: ArticleRecord) => string;
}

export function renderAtomFeed(feed: AtomFeedInput): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(feed.id)}</id>`,
    `  <title>${xmlText(feed.title)}</title>`,
    `  <updated>${xmlText(feed.updated)}</updated>`,
    `  <author><name>${FEED_AUTHOR}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feed.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(feed.alternateUrl)}"/>`,
    `  <generator>${FEED_AUTHOR}</generator>`,
  ];
  for (const article of feed.articles) lines.push(renderEntry(article, feed.articlePageUrl(article)));
  lines.push('</feed>', '');
  return lines.join('\n');
}

function renderEntry(article: ArticleRecord, pageUrl: string): string {
  const published = atomDateTime(article.publishedAt) ?? atomDateTime(article.publishedAtUtc);
  const updated = atomDateTime(article.updatedAt) ?? article.updatedAt;
  const authors = article.authors.length > 0 ? article.authors : [article.site ?? FEED_AUTHOR];
  const summary = article.description?.trim() || summaryOf(article.text);
  const lang = article.language ? ` xml:lang="${xmlText(article.language)}"` : '';
  const parts = [
    `  <entry${lang}>`,
    `    <id>${xmlText(entryId(article))}</id>`,
    `    <title type="text">${xmlText(article.title ?? article.url ?? `Article ${article.id}`)}</title>`,
    `    <updated>${xmlText(updated)}</updated>`,
    ...(published ? [`    <published>${xmlText(published)}</published>`] : []),
    ...authors.map((name) => `    <author><name>${xmlText(name)}</name></author>`),
    ...(article.url ? [`    <link rel="alternate" type="text/html" href="${xmlText(article.url)}"/>`] : []),
    `    <link rel="related" type="text/html" href="${xmlText(pageUrl)}"/>`,
    `    <summary type="text">${xmlText(summary)}</summary>`,
    `    <content type="text">${xmlText(article.text)}</content>`,
    '  </entry>',
  ];
  return parts.join('\n');
}

function summaryOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SUMMARY_CHARS) return flat;
  const cut = flat.slice(0, SUMMARY_CHARS);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > SUMMARY_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
