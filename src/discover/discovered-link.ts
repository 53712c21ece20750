/** What a feed, sitemap or section page says about one article link. Plain JSON. */
export interface DiscoveredLink {
  /** The link as an absolute URL (not yet canonicalized). */
  url: string;
  /** Publication date the source gives (feed pubDate/published, news:publication_date), ISO. A hint only. */
  publishedAt: string | null;
  /** Last change the source gives (sitemap lastmod, Atom updated), ISO: a newer one asks for a re-fetch. */
  updatedAt: string | null;
  /** Headline the source gives (feed title, news:title). A hint only. */
  title: string | null;
}

/** A date as the source wrote it, as an ISO instant; null when it is not a date. */
export function isoDateOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A link resolved against the document's address; null when it is not an http(s) URL. */
export function absoluteHttpUrl(href: unknown, base: string): string | null {
  if (typeof href !== 'string' || href.trim() === '') return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
