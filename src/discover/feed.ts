/**
 * Reading a feed: RSS 0.9x/2.0, Atom 1.0 and RDF 1.0 (RSS 1.0) through feedsmith, into the
 * links it announces with their dates and titles as hints. Pure.
 *
 * Hostile input: feedsmith parses with fast-xml-parser's entity processing off and ignores the
 * DOCTYPE, so declared entities (the "billion laughs" bomb) are never expanded; the caller caps
 * the bytes read (SOURCE_MAX_BYTES) and MAX_FEED_ITEMS caps the work per feed.
 */
import { parseFeed as feedsmithParse } from 'feedsmith';
import { absoluteHttpUrl, isoDateOrNull, type DiscoveredLink } from './discovered-link.ts';

/** Items read from one feed: real feeds carry 10–500; a feed of millions is an attack, not news. */
export const MAX_FEED_ITEMS = 10_000;

export type FeedFormat = 'rss' | 'atom' | 'rdf';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  links: DiscoveredLink[];
}

/** The document is not a feed we read (not XML, not RSS/Atom/RDF, or malformed). */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
}

type Loose = Record<string, unknown> | undefined;

export function parseFeedDocument(xml: string, feedUrl: string): ParsedFeed {
  let parsed: ReturnType<typeof feedsmithParse>;
  try {
    parsed = feedsmithParse(xml);
  } catch (error) {
    throw new FeedParseError(`not a feed: ${(error as Error).message}`);
  }
  if (parsed.format === 'json') throw new FeedParseError('JSON Feed is not read (RSS, Atom and RDF are)');
  const feed = parsed.feed as unknown as Record<string, unknown>;
  const items = (parsed.format === 'atom' ? feed['entries'] : feed['items']) as Loose[] | undefined;
  const links: DiscoveredLink[] = [];
  for (const item of (items ?? []).slice(0, MAX_FEED_ITEMS)) {
    const link = parsed.format === 'atom' ? atomEntryLink(item, feedUrl) : rssItemLink(item, feedUrl);
    if (link) links.push(link);
  }
  return { format: parsed.format, title: stringOrNull(feed['title']), links };
}

/** RSS and RDF: <link>, else a permalink <guid>; pubDate or dc:date; atom:updated when given. */
function rssItemLink(item: Loose, base: string): DiscoveredLink | null {
  if (!item) return null;
  const guid = item['guid'] as Loose;
  const guidIsLink = guid && guid['isPermaLink'] !== false ? guid['value'] : undefined;
  const url = absoluteHttpUrl(item['link'], base) ?? absoluteHttpUrl(guidIsLink, base);
  if (!url) return null;
  const dc = item['dc'] as Loose;
  const atom = item['atom'] as Loose;
  const dcterms = item['dcterms'] as Loose;
  return {
    url,
    publishedAt: isoDateOrNull(item['pubDate']) ?? isoDateOrNull(firstOf(dc?.['dates'])) ?? isoDateOrNull(firstOf(dc?.['date'])) ?? isoDateOrNull(firstOf(dcterms?.['created'])),
    updatedAt: isoDateOrNull(atom?.['updated']) ?? isoDateOrNull(firstOf(dcterms?.['modified'])),
    title: stringOrNull(item['title']),
  };
}

/** Atom: the rel="alternate" (or rel-less) link; published and updated. */
function atomEntryLink(entry: Loose, base: string): DiscoveredLink | null {
  if (!entry) return null;
  const candidates = (entry['links'] as Loose[] | undefined) ?? [];
  const alternate = candidates.find((l) => l && (l['rel'] === undefined || l['rel'] === 'alternate')) ?? candidates[0];
  const url = absoluteHttpUrl(alternate?.['href'], base) ?? absoluteHttpUrl(entry['id'], base);
  if (!url) return null;
  return {
    url,
    publishedAt: isoDateOrNull(entry['published']),
    updatedAt: isoDateOrNull(entry['updated']),
    // Atom text constructs come as { value, type }.
    title: stringOrNull(entry['title']) ?? stringOrNull((entry['title'] as Loose)?.['value']),
  };
}

/** feedsmith gives repeatable Dublin Core fields as arrays (dc.dates); take the first. */
function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
