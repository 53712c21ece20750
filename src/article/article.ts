/**
 * The article: the public contract of the pipeline (DESIGN.md, "The article").
 * `ingest extract` prints it, the store writes it, `ingest query --format json` returns it.
 */

/** How much of a timestamp the source actually gave. */
export type DatePrecision = 'day' | 'minute' | 'second';

export interface Article {
  /** The address the page was fetched from (or was given), or null for a text dump without one. */
  url: string | null;
  /** Canonical form of the article's address (rel=canonical / og:url, tracking parameters dropped). */
  canonicalUrl: string | null;
  /** The publisher's host, lowercased, without a leading "www." */
  site: string | null;
  /** Headline without the site-name suffix. */
  title: string | null;
  authors: string[];
  description: string | null;
  /**
   * RFC 3339 with the publisher's UTC offset when a time is known ("2017-07-25T22:43:00+04:30"),
   * a bare date when only the day is known ("2019-03-04"), null when unknown. Never a guessed time.
   */
  publishedAt: string | null;
  publishedPrecision: DatePrecision | null;
  /** The publication instant in UTC ("2017-07-25T18:13:00Z") for sorting; null when no offset is known. */
  publishedAtUtc: string | null;
  /** The date as the page wrote it, before normalization ("Tuesday 25 July 2017 - 22:43"). */
  publishedAtRaw: string | null;
  /** Same form as publishedAt. */
  modifiedAt: string | null;
  /** When the page was retrieved (same form); for dumps, the retrieval date they carry. */
  retrievedAt: string | null;
  /** The site's own article id, ASCII digits, or null. */
  storyCode: string | null;
  /** Agency credit peeled off a dateline ("FNA"), or null. */
  credit: string | null;
  /** BCP 47 language tag ("en", "fa") or null when unknown. */
  language: string | null;
  /** Body text: paragraphs separated by one blank line, no boilerplate. */
  text: string;
  wordCount: number;
  /** sha256 (hex) of the normalized text: lets re-crawls tell "unchanged" from "edited". */
  contentHash: string;
  /** Which extractor produced this article, with its version ("generic@1", "text-dump@1"). */
  extractor: string;
}

/** What an extractor (HTML or text dump) returns: the article, and why its text is empty. */
export interface ExtractionResult {
  article: Article;
  /** Why the text is empty ("no main content found", "input is not HTML"), else null. */
  reason: string | null;
}
