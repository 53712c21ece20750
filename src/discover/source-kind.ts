/** Telling a feed from a sitemap from an HTML page, by content type and the first bytes. Pure. */
import type { SourceKind } from '../../db/schema.ts';

/** Characters looked at: enough to pass an XML declaration, a stylesheet PI and comments. */
const SNIFF_CHARS = 4_096;

export function detectSourceKind(contentType: string | null, head: string): SourceKind | null {
  const start = head.slice(0, SNIFF_CHARS).replace(/^\uFEFF/, '');
  const root = firstElementName(start);
  if (root === 'rss' || root === 'feed' || root === 'rdf:rdf' || root === 'rdf') return 'feed';
  if (root === 'urlset' || root === 'sitemapindex') return 'sitemap';
  if (root === 'html' || /^\s*<!doctype html/i.test(start)) return 'page';
  const type = (contentType ?? '').toLowerCase();
  if (/rss|atom/.test(type)) return 'feed';
  if (type.includes('html')) return 'page';
  return null;
}

/** Name of the first element, after the XML declaration, PIs, comments and a DOCTYPE. */
function firstElementName(text: string): string | null {
  const withoutProlog = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>/gi, '');
  const match = /<([A-Za-z_][\w.:-]*)/.exec(withoutProlog);
  return match ? match[1]!.toLowerCase() : null;
}
