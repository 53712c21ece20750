import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeedDocument } from '../../src/discover/feed.ts';

const BASE = 'https://news.example/feed';

describe('parseFeedDocument', () => {
  it('reads RSS 2.0 items: link, title and pubDate, relative links resolved', () => {
    const feed = parseFeedDocument(
      `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
        <item><title>One</title><link>/a/1</link><pubDate>Tue, 25 Jul 2017 18:13:00 GMT</pubDate></item>
        <item><title>Two &amp; more</title><guid isPermaLink="true">https://news.example/a/2</guid></item>
        <item><title>No link</title><guid isPermaLink="false">tag:x</guid></item>
      </channel></rss>`,
      BASE,
    );
    expect(feed.format).toBe('rss');
    expect(feed.links).toEqual([
      { url: 'https://news.example/a/1', title: 'One', publishedAt: '2017-07-25T18:13:00.000Z', updatedAt: null },
      { url: 'https://news.example/a/2', title: 'Two & more', publishedAt: null, updatedAt: null },
    ]);
  });

  it('reads RSS 0.91', () => {
    const feed = parseFeedDocument(`<rss version="0.91"><channel><title>Old</title><item><title>A</title><link>https://news.example/old</link></item></channel></rss>`, BASE);
    expect(feed.links.map((l) => l.url)).toEqual(['https://news.example/old']);
  });

  it('reads Atom 1.0 entries: the alternate link, published and updated', () => {
    const feed = parseFeedDocument(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:x</id><updated>2024-01-02T00:00:00Z</updated>
        <entry><title>E</title><id>urn:e</id><link rel="self" href="https://news.example/self"/><link rel="alternate" href="https://news.example/e"/>
          <published>2024-01-01T10:00:00+02:00</published><updated>2024-01-02T00:00:00Z</updated></entry></feed>`,
      BASE,
    );
    expect(feed.format).toBe('atom');
    expect(feed.links).toEqual([{ url: 'https://news.example/e', title: 'E', publishedAt: '2024-01-01T08:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' }]);
  });

  it('reads RDF 1.0 (RSS 1.0) items with dc:date', () => {
    const feed = parseFeedDocument(
      `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://news.example/"><title>R</title><link>https://news.example/</link></channel>
        <item rdf:about="https://news.example/r1"><title>R1</title><link>https://news.example/r1</link><dc:date>2024-03-01T12:00:00Z</dc:date></item>
      </rdf:RDF>`,
      BASE,
    );
    expect(feed.format).toBe('rdf');
    expect(feed.links).toEqual([{ url: 'https://news.example/r1', title: 'R1', publishedAt: '2024-03-01T12:00:00.000Z', updatedAt: null }]);
  });

  it.each([
    ['not XML', '{"items": []}'],
    ['HTML', '<!doctype html><html><body>hi</body></html>'],
    ['empty', ''],
  ])('refuses %s with FeedParseError', (_, text) => {
    expect(() => parseFeedDocument(text, BASE)).toThrow(FeedParseError);
  });

  it('does not expand a billion-laughs entity bomb', () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const bomb = `<?xml version="1.0"?><!DOCTYPE rss [${levels.join('')}]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://news.example/x</link></item></channel></rss>`;
    const started = Date.now();
    let titleLength = 0;
    try {
      titleLength = parseFeedDocument(bomb, BASE).links[0]?.title?.length ?? 0;
    } catch (error) {
      expect(error).toBeInstanceOf(FeedParseError);
    }
    expect(titleLength).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
