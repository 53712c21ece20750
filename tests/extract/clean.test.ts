import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { removeChrome, removeCode, removeCodeAndNonContent, removeNonContent } from '../../src/extract/clean.ts';
import type { Element, ParentNode } from '../../src/extract/page/dom.ts';
import { computeStats } from '../../src/extract/stats.ts';

const PAGE = `<!doctype html><html><head><title>t</title><script>var x = 1;</script>
<script type="application/ld+json">{"a":1}</script><style>p{}</style></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="share-bar">Share this</div>
<article><h1>Headline</h1>
  <p>First paragraph, long enough to count as prose in the statistics of the page, with commas.</p>
  <p hidden>hidden text</p> <!-- a comment --> <noscript>enable js</noscript>
  <pre>  kept   space  </pre>
  <p>Second <a rel="tag" href="/t">tag</a> paragraph, also long enough to count as prose for the page.</p>
</article>
<aside class="related"><ul><li><a href="/x">Other</a></li></ul></aside>
<footer>Copyright</footer></body></html>`;

const load = (): ParentNode => cheerio.load(PAGE, { xml: { xmlMode: false, decodeEntities: true } }).root()[0]!;
const html = (root: ParentNode): string => cheerio.load(root as never).html();

describe('removeCodeAndNonContent', () => {
  it('leaves the tree removeCode then removeNonContent leave', () => {
    const apart = load();
    removeCode(apart);
    removeNonContent(apart);
    const together = load();
    removeCodeAndNonContent(together);
    expect(html(together)).toBe(html(apart));
  });
});

describe('removeChrome', () => {
  it('returns the stats of the page that is left', () => {
    const root = load();
    removeCodeAndNonContent(root);
    const stats = removeChrome(root);
    const fresh = computeStats(root);
    const walk = (node: ParentNode): void => {
      expect(stats.get(node as Element)).toEqual(fresh.get(node as Element));
      for (const child of node.children) if ('children' in child) walk(child);
    };
    walk(root);
    expect(html(root)).not.toContain('Share this');
  });
});

describe('removeChrome: wrappers that look like chrome', () => {
  const PROSE = 'A paragraph of the article that is long enough to count as prose, with a clause or two, and more words.';
  const cleaned = (body: string): string => {
    const root = cheerio.load(`<html><body>${body}</body></html>`, { xml: { xmlMode: false, decodeEntities: true } }).root()[0]!;
    removeCodeAndNonContent(root);
    removeChrome(root);
    return html(root);
  };

  it('keeps a weak-word wrapper holding a prose paragraph ("date-outer" around a blog post)', () => {
    expect(cleaned(`<div class="date-outer"><p>${PROSE}</p></div>`)).toContain(PROSE);
  });

  it('still drops weak-word furniture without prose, and long furniture (captions) with it', () => {
    expect(cleaned(`<div class="date">12 May 2021</div><p>${PROSE}</p><p>${PROSE}</p>`)).not.toContain('12 May');
    expect(cleaned(`<div class="caption"><p>Photo: ${PROSE}</p></div><p>${PROSE}</p>`)).not.toContain('Photo:');
  });

  it('keeps a strong-word layout wrapper holding most of the page\'s prose in one paragraph ("no-sidebar")', () => {
    expect(cleaned(`<div class="container no-sidebar"><p>${PROSE}</p></div><footer><p>Footer text.</p></footer>`)).toContain(PROSE);
    expect(cleaned(`<div class="sidebar"><p>${PROSE}</p></div><p>${PROSE} ${PROSE}</p>`)).not.toContain('class="sidebar"');
  });

  it('keeps an <article>\'s own <header> with a lead paragraph, drops the page header', () => {
    const out = cleaned(`<header><p>${PROSE} (site)</p></header><article><header><p>${PROSE} (lead)</p></header><p>${PROSE}</p><p>${PROSE}</p><p>${PROSE}</p></article>`);
    expect(out).toContain('(lead)');
    expect(out).not.toContain('(site)');
  });

  it('drops calls to action and donation appeals however much prose they hold', () => {
    expect(cleaned(`<div class="widget-cta-letter"><p>Support us: ${PROSE}</p></div><p>${PROSE}</p><p>${PROSE}</p>`)).not.toContain('Support us');
  });

  it('reads class modifiers as flags, not as what the block is ("Section--Ads", "content-has-sidebar")', () => {
    expect(cleaned(`<section class="report__section report__section--ads"><p>${PROSE}</p></section><div class="sidebar"><p>Side.</p></div>`)).toContain(PROSE);
    expect(cleaned(`<div class="layout layout-has-sidebar"><p>${PROSE}</p><p>${PROSE}</p></div><div class="sidebar"><p>Side.</p></div>`)).toContain(PROSE);
    expect(cleaned(`<div class="sidebar sidebar--left"><p>Side.</p></div><p>${PROSE}</p>`)).not.toContain('Side.');
  });

  it('keeps text marked printable, drops print-only blocks', () => {
    expect(cleaned(`<div class="step print-full"><p>${PROSE}</p></div>`)).toContain(PROSE);
    expect(cleaned(`<div class="d-none d-print-block"><p>Citation: ${PROSE}</p></div><p>${PROSE}</p>`)).not.toContain('Citation:');
  });

  it('keeps a weak-word wrapper of long <br>-separated text (Blogger\'s "date-outer")', () => {
    const text = Array.from({ length: 9 }, (_, i) => `Line ${i} of a blog post written with line breaks, not paragraphs`).join('<br>');
    expect(cleaned(`<div class="date-outer"><div class="post-body">${text}</div></div>`)).toContain("Line 8");
  });
});
