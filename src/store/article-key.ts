import type { Article } from '../article/article.ts';
import { siteOf } from '../url/canonicalize.ts';

/**
 * The key that makes re-ingesting an article an update, not a new row. A site's own story code
 * names the article whatever URL it came from (print pages, mobile hosts, tracking parameters);
 * without one, the canonical URL does, but only a canonical URL on the page's own site: a page
 * elsewhere that names another site's article as its rel=canonical must not take over that
 * article's row. Dumps with neither fall back to the content hash.
 */
export function articleKeyOf(article: Pick<Article, 'site' | 'storyCode' | 'canonicalUrl' | 'url' | 'contentHash'>): string {
  if (article.site && article.storyCode) return `code:${article.site}#${article.storyCode}`;
  const address = (sameSiteCanonical(article) ? article.canonicalUrl : null) ?? article.url ?? article.canonicalUrl;
  if (address) return `url:${address}`;
  return `hash:${article.contentHash}`;
}

/** The key of an article by its own address alone (two articles sharing a story code stay apart). */
export function addressKeyOf(article: Pick<Article, 'site' | 'canonicalUrl' | 'url' | 'contentHash'>): string {
  return articleKeyOf({ ...article, storyCode: null });
}

function sameSiteCanonical(article: Pick<Article, 'site' | 'canonicalUrl' | 'url'>): boolean {
  if (!article.canonicalUrl) return false;
  const site = article.site ?? (article.url ? safeSite(article.url) : null);
  return site === null || safeSite(article.canonicalUrl) === site;
}

function safeSite(url: string): string | null {
  try {
    return siteOf(url);
  } catch {
    return null;
  }
}
