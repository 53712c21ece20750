/**
 * Finding a site's feeds and sitemaps (`ingest source discover`): where to look, and what a
 * robots.txt and a home page say. Pure; the probing is in fetch/probe-source.ts.
 */
// cheerio/slim: htmlparser2 only, as the extractor parses; cheerio's root also loads parse5 and
// its own undici, some megabytes in every worker that reads sources.
import { load } from 'cheerio/slim';
import { HTML_LOAD_OPTIONS } from '../extract/page/fast-tokenizer.ts';
import { absoluteHttpUrl } from './discovered-link.ts';

/** The usual places of feeds and sitemaps, tried after what robots.txt and the home page name. */
export const USUAL_SOURCE_PATHS = ['/feed', '/rss', '/sitemap.xml', '/sitemap_index.xml', '/news-sitemap.xml'] as const;

/** Feed types a home page announces with <link rel="alternate">. */
const FEED_LINK_TYPES = /^application\/(?:rss|atom)\+xml$/i;

/** `Sitemap:` lines of a robots.txt (RFC 9309 §2.2.4 leaves them to the sitemaps protocol). */
export function robotsSitemaps(robotsText: string, robotsUrl: string): string[] {
  const found: string[] = [];
  for (const line of robotsText.split(/\r?\n/)) {
    const match = /^\s*sitemap\s*:\s*(\S+)/i.exec(line);
    const url = match ? absoluteHttpUrl(match[1], robotsUrl) : null;
    if (url && !found.includes(url)) found.push(url);
  }
  return found;
}

/** Feeds a page announces: <link rel="alternate" type="application/rss+xml|atom+xml" href>. */
export function announcedFeeds(html: string, pageUrl: string): string[] {
  const $ = load(html, HTML_LOAD_OPTIONS);
  const found: string[] = [];
  $('link[rel~="alternate"][href]').each((_, element) => {
    if (!FEED_LINK_TYPES.test(($(element).attr('type') ?? '').trim())) return;
    const url = absoluteHttpUrl($(element).attr('href'), pageUrl);
    if (url && !found.includes(url)) found.push(url);
  });
  return found;
}

/** "example.com" or "https://example.com/x" → "https://example.com" (http when the input says so). */
export function siteOrigin(site: string): string {
  const withScheme = /^https?:\/\//i.test(site.trim()) ? site.trim() : `https://${site.trim()}`;
  return new URL(withScheme).origin;
}
