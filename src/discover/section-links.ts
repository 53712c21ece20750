/**
 * Reading a section page ("/world", "/politics"): the same-site links that look like articles.
 * Pure: HTML in, canonical links out.
 *
 * Steps: drop page furniture (nav, header, footer, aside, menus); take every <a href>; resolve
 * and canonicalize it; keep links of the same site; drop tag, author, category, search and
 * pagination pages; keep those matching the source's --pattern when one is given.
 */
// cheerio/slim: htmlparser2 only, as the extractor parses; cheerio's root also loads parse5 and
// its own undici, some megabytes in every worker that reads sources.
import { load } from 'cheerio/slim';
import { HTML_LOAD_OPTIONS } from '../extract/page/fast-tokenizer.ts';
import { canonicalizeUrl, siteOf } from '../url/canonicalize.ts';
import type { DiscoveredLink } from './discovered-link.ts';

/** Elements whose links are navigation, not stories. */
const FURNITURE_SELECTOR = 'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], .menu, .nav, .navbar, .breadcrumb, .breadcrumbs, .pagination, .pager';

/**
 * Paths of listing pages rather than articles: tags, authors, categories, topics, search,
 * archives by page, feeds, and the account pages every news site has.
 */
const LISTING_PATH = /\/(?:tags?|authors?|writers?|category|categories|topics?|section|search|page|archive|feed|rss|login|register|subscribe|account|contact|about)(?:\/|$)/i;

/** Pagination in the query (?page=2, ?p=3, ?start=20) or a trailing /2/ page number. */
const PAGINATION_QUERY = /[?&](?:page|p|pg|start|offset)=\d+/i;

/** Links read from one page: a real section page has tens to a few hundred. */
export const MAX_SECTION_LINKS = 5_000;

export function sectionPageLinks(html: string, pageUrl: string, pattern: RegExp | null): DiscoveredLink[] {
  const $ = load(html, HTML_LOAD_OPTIONS);
  $(FURNITURE_SELECTOR).remove();
  const site = siteOf(pageUrl);
  const self = canonicalizeUrl(pageUrl);
  const seen = new Set<string>();
  const links: DiscoveredLink[] = [];
  $('a[href]').each((_, element) => {
    if (links.length >= MAX_SECTION_LINKS) return false;
    const url = canonicalLink($(element).attr('href'), pageUrl);
    if (!url || url === self || seen.has(url)) return undefined;
    seen.add(url);
    if (siteOf(url) !== site || isListingLink(url)) return undefined;
    if (pattern && !pattern.test(url)) return undefined;
    const title = $(element).text().replace(/\s+/g, ' ').trim();
    links.push({ url, publishedAt: null, updatedAt: null, title: title === '' ? null : title });
    return undefined;
  });
  return links;
}

/** Whether a link is a listing (tag, author, category, search, pagination) rather than a story. */
export function isListingLink(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') return true;
  return LISTING_PATH.test(parsed.pathname) || PAGINATION_QUERY.test(parsed.search);
}

function canonicalLink(href: string | undefined, base: string): string | null {
  if (!href || /^(?:javascript|mailto|tel):/i.test(href.trim())) return null;
  try {
    return canonicalizeUrl(new URL(href.trim(), base).href);
  } catch {
    return null;
  }
}
