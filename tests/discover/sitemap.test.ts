import { describe, expect, it } from 'vitest';
import type { DiscoveredLink } from '../../src/discover/discovered-link.ts';
import { readSitemap, SitemapParseError } from '../../src/discover/sitemap.ts';

async function* inPieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, pieceSize = 7, batchSize = 2) {
  const batches: DiscoveredLink[][] = [];
  const result = await readSitemap(inPieces(text, pieceSize), 'https://news.example/sitemap.xml', async (links) => void batches.push(links), batchSize);
  return { result, batches };
}

describe('readSitemap', () => {
  it('streams a urlset in batches, with lastmod and Google News hints, whatever the chunking', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:n="http://www.google.com/schemas/sitemap-news/0.9">
        <url><loc>https://news.example/a</loc><lastmod>2024-05-01</lastmod></url>
        <url><loc> /b </loc><n:news><n:publication><n:name>X</n:name></n:publication><n:publication_date>2024-05-02T10:00:00+02:00</n:publication_date><n:title><![CDATA[B & co]]></n:title></n:news></url>
        <url><loc>https://news.example/c</loc></url>
        <url><loc>javascript:alert(1)</loc></url>
      </urlset>`;
    const { result, batches } = await read(xml);
    expect(result).toMatchObject({ kind: 'urlset', urls: 3, children: [], truncated: false });
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    expect(batches.flat()).toEqual([
      { url: 'https://news.example/a', publishedAt: null, updatedAt: '2024-05-01T00:00:00.000Z', title: null },
      { url: 'https://news.example/b', publishedAt: '2024-05-02T08:00:00.000Z', updatedAt: null, title: 'B & co' },
      { url: 'https://news.example/c', publishedAt: null, updatedAt: null, title: null },
    ]);
  });

  it('lists the children of a sitemap index', async () => {
    const { result, batches } = await read(
      `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml.gz</loc><lastmod>2024-01-01</lastmod></sitemap><sitemap><loc>https://news.example/s2.xml</loc></sitemap></sitemapindex>`,
    );
    expect(result.kind).toBe('sitemapindex');
    expect(result.children).toEqual([
      { url: 'https://news.example/s1.xml.gz', lastmod: '2024-01-01T00:00:00.000Z' },
      { url: 'https://news.example/s2.xml', lastmod: null },
    ]);
    expect(batches).toEqual([]);
  });

  it.each([
    ['not XML', 'just some text'],
    ['another root', '<rss><channel/></rss>'],
    ['unclosed', '<urlset><url><loc>https://news.example/a'],
    ['an entity bomb', '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><urlset><url><loc>https://news.example/&b;</loc></url></urlset>'],
  ])('refuses %s with SitemapParseError', async (_, text) => {
    await expect(read(text)).rejects.toThrow(SitemapParseError);
  });
});
