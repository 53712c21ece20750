/**
 * Reading a sitemap as a stream (sitemaps.org protocol, Google News sitemaps): text goes in as
 * it arrives, URLs come out in batches as they are read, so a 50 MB sitemap of 50,000 URLs is
 * never held in memory, as text or as a tree. Pure: the caller brings the text chunks (already
 * decompressed) and takes the batches.
 *
 * saxes is a non-validating streaming parser: it does not read DOCTYPE entity declarations, so
 * an entity bomb ends as an "undefined entity" error instead of expanding.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { absoluteHttpUrl, isoDateOrNull, type DiscoveredLink } from './discovered-link.ts';

/** URLs read from one sitemap file: the protocol's own limit (sitemaps.org, "50,000 URLs"). */
export const MAX_URLS_PER_SITEMAP = 50_000;

/** Child sitemaps read from one sitemap index: the protocol's limit for an index file. */
export const MAX_CHILDREN_PER_INDEX = 50_000;

export type SitemapKind = 'urlset' | 'sitemapindex';

export interface SitemapReadResult {
  kind: SitemapKind;
  /** URLs read (for a urlset). */
  urls: number;
  /** Child sitemaps listed (for a sitemapindex), with their lastmod. */
  children: Array<{ url: string; lastmod: string | null }>;
  /** True when the file listed more than the protocol allows and the rest was ignored. */
  truncated: boolean;
}

/** The document is not a sitemap (not XML, another root element, or malformed). */
export class SitemapParseError extends Error {
  override readonly name = 'SitemapParseError';
}

/** Fields of the <url> or <sitemap> being read. */
interface Entry {
  loc: string | null;
  lastmod: string | null;
  newsTitle: string | null;
  newsPublished: string | null;
}

/** Local name of an element, whatever prefix it was written with (news:title → title). */
function localName(tag: SaxesTagPlain): string {
  const colon = tag.name.indexOf(':');
  return (colon === -1 ? tag.name : tag.name.slice(colon + 1)).toLowerCase();
}

/**
 * Read one sitemap from its text chunks. `onBatch` gets the URLs of a urlset, at most
 * `batchSize` at a time, and is awaited before more text is parsed (backpressure).
 */
export async function readSitemap(
  chunks: AsyncIterable<string>,
  sitemapUrl: string,
  onBatch: (links: DiscoveredLink[]) => Promise<void>,
  batchSize = 500,
): Promise<SitemapReadResult> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const result: SitemapReadResult = { kind: 'urlset', urls: 0, children: [], truncated: false };
  let root: string | null = null;
  let entry: Entry | null = null;
  const path: string[] = [];
  let textBuffer = '';
  let failure: Error | null = null;
  let pending: DiscoveredLink[] = [];

  parser.on('error', (error) => {
    failure ??= new SitemapParseError(`not a sitemap: ${error.message}`);
  });
  parser.on('opentag', (tag) => {
    const name = localName(tag as SaxesTagPlain);
    if (root === null) {
      if (name !== 'urlset' && name !== 'sitemapindex') {
        failure ??= new SitemapParseError(`not a sitemap: the root element is <${tag.name}>`);
        return;
      }
      root = name;
      result.kind = name;
    } else if (path.length === 1 && (name === 'url' || name === 'sitemap')) {
      entry = { loc: null, lastmod: null, newsTitle: null, newsPublished: null };
    }
    path.push(name);
    textBuffer = '';
  });
  const onText = (text: string) => {
    // Only leaf values are kept, and a value longer than any URL or date is cut (no memory abuse).
    if (entry && textBuffer.length < MAX_VALUE_CHARS) textBuffer += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = path.pop();
    if (entry && name) {
      const value = textBuffer.trim();
      if (path.length === 2 && name === 'loc') entry.loc = value;
      else if (path.length === 2 && name === 'lastmod') entry.lastmod = value;
      else if (path.at(-1) === 'news' && name === 'title') entry.newsTitle = value;
      else if (path.at(-1) === 'news' && name === 'publication_date') entry.newsPublished = value;
      if (path.length === 1 && (name === 'url' || name === 'sitemap')) {
        finishEntry(entry, name);
        entry = null;
      }
    }
    textBuffer = '';
  });

  function finishEntry(done: Entry, name: string) {
    const url = absoluteHttpUrl(done.loc, sitemapUrl);
    if (!url) return;
    if (root === 'sitemapindex' && name === 'sitemap') {
      if (result.children.length >= MAX_CHILDREN_PER_INDEX) result.truncated = true;
      else result.children.push({ url, lastmod: isoDateOrNull(done.lastmod) });
    } else if (root === 'urlset' && name === 'url') {
      if (result.urls >= MAX_URLS_PER_SITEMAP) {
        result.truncated = true;
        return;
      }
      result.urls += 1;
      pending.push({
        url,
        publishedAt: isoDateOrNull(done.newsPublished),
        updatedAt: isoDateOrNull(done.lastmod),
        title: done.newsTitle || null,
      });
    }
  }

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (failure) throw failure;
    while (pending.length >= batchSize) {
      const batch = pending.slice(0, batchSize);
      pending = pending.slice(batchSize);
      await onBatch(batch);
    }
  }
  parser.close();
  if (failure) throw failure;
  if (root === null) throw new SitemapParseError('not a sitemap: no root element');
  if (pending.length > 0) await onBatch(pending);
  return result;
}

/** Longest <loc>, <lastmod> or news:title value kept (URLs are at most 2,048 characters here). */
const MAX_VALUE_CHARS = 4_096;
