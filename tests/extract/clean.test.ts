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
