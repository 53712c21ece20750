import type { Article } from '../article/article.ts';

/**
 * The key that makes re-ingesting an article an update, not a new row. A site's own story code
 * names the article whatever URL it came from (print pages, mobile hosts, tracking parameters);
 * without one, the canonical URL does. Dumps with neither fall back to the content hash.
 */
export function articleKeyOf(article: Pick<Article, 'site' | 'storyCode' | 'canonicalUrl' | 'url' | 'contentHash'>): string {
  if (article.site && article.storyCode) return `code:${article.site}#${article.storyCode}`;
  const address = article.canonicalUrl ?? article.url;
  if (address) return `url:${address}`;
  return `hash:${article.contentHash}`;
}
