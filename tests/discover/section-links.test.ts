import { describe, expect, it } from 'vitest';
import { isListingLink, sectionPageLinks } from '../../src/discover/section-links.ts';

const PAGE = `<!doctype html><html><body>
  <header><a href="/news/100">Header story</a></header>
  <nav class="menu"><a href="/world">World</a></nav>
  <main>
    <a href="/news/1?utm_source=x#top">One</a>
    <a href="https://www.news.example/news/2">Two</a>
    <a href="/news/1">One again</a>
    <a href="/tag/iran">Iran</a> <a href="/author/jane">Jane</a> <a href="/category/world">World</a>
    <a href="/news?page=2">Next</a> <a href="/page/3">3</a> <a href="/">Home</a>
    <a href="https://other.example/news/3">Elsewhere</a> <a href="mailto:x@news.example">Mail</a>
    <a href="/opinion/why">Opinion</a>
  </main>
  <footer><a href="/news/200">Footer story</a></footer>
</body></html>`;

describe('sectionPageLinks', () => {
  it('keeps same-site story links, canonicalized and once, without furniture or listings', () => {
    const links = sectionPageLinks(PAGE, 'https://news.example/world', null);
    // www.news.example is the same site (siteOf drops "www."); canonicalization keeps the host as written.
    expect(links.map((l) => l.url)).toEqual(['https://news.example/news/1', 'https://www.news.example/news/2', 'https://news.example/opinion/why']);
    expect(links[0]!.title).toBe('One');
  });

  it('keeps only links matching the pattern', () => {
    expect(sectionPageLinks(PAGE, 'https://news.example/world', /\/news\/\d+$/).map((l) => l.url)).toEqual(['https://news.example/news/1', 'https://www.news.example/news/2']);
  });

  it.each([
    ['https://news.example/tags/x', true],
    ['https://news.example/search?q=x', true],
    ['https://news.example/search/x', true],
    ['https://news.example/news/1?p=2', true],
    ['https://news.example/news/1', false],
  ])('isListingLink(%s) is %s', (url, listing) => {
    expect(isListingLink(url)).toBe(listing);
  });
});
