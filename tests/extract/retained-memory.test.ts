/**
 * Extraction keeps nothing of a page once it returns: an extraction thread serves page after
 * page for days, and anything it keeps per page (a cache key that is a view into the page's
 * HTML keeps the whole HTML) grows it until its memory budget ends it. Runs in a process of its
 * own (vitest's unit-own-memory project), where the heap is this file's alone.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detachedCopy } from '../../src/normalize/detached-string.ts';
import { extractArticle } from '../../src/extract/index.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
setFlagsFromString('--no-expose-gc');

/** Heap in use after a full collection, bytes. */
function liveHeap(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const PAGES = 30;
/** Each page's markup: about 1 MB, so keeping pages shows far above the noise of a collection. */
const PARAGRAPHS_PER_PAGE = 8000;
/** What the extractor may keep over all the pages (compiled code, caches of short strings). */
const MAX_RETAINED_BYTES = 6 * 1024 * 1024;

/** Page n: classes and ids of its own (long enough to be views into the page), a zone named in a script. */
function page(n: number): string {
  const paragraph = `<p class="story-paragraph-${n}-text">Paragraph of story ${n}, long enough to count as prose, with a clause.</p>`;
  return `<html><head><title>Story ${n}</title><script>var config = {"timezone": "America/Los_Angeles"};</script></head>
<body><nav class="site-navigation-${n}-menu"><a href="/">Home</a></nav>
<article id="article-body-number-${n}" class="article-content-wrapper-${n}">${paragraph.repeat(PARAGRAPHS_PER_PAGE)}</article>
<div class="related-stories-${n}-box"><a href="/x">Other story</a></div></body></html>`;
}

describe('extraction memory', () => {
  it('keeps nothing of the pages it extracted', () => {
    extractArticle(page(-1), { url: 'https://news.example/warm-up' });
    const before = liveHeap();
    for (let n = 0; n < PAGES; n++) {
      const { article } = extractArticle(page(n), { url: `https://news.example/story-${n}` });
      expect(article.text).toContain(`Paragraph of story ${n}`);
    }
    // Kept, the 30 pages would be about 27 MB.
    expect(liveHeap() - before).toBeLessThan(MAX_RETAINED_BYTES);
  });
});

describe('detachedCopy', () => {
  it('returns an equal string', () => {
    expect(detachedCopy('short')).toBe('short');
    const page = `<div class="${'x'.repeat(50)}">`;
    const view = page.slice(12, 62);
    expect(detachedCopy(view)).toBe(view);
  });

  it('keeps none of the string it was sliced from', () => {
    const before = liveHeap();
    const kept: string[] = [];
    for (let n = 0; n < PAGES; n++) {
      // About 1 MB each, and each a string of its own (the page number ends it).
      const html = `#${'<p>text of a page</p>'.repeat(50_000)}${n}`;
      kept.push(detachedCopy(html.slice(1, 40)));
    }
    expect(kept[0]).toBe('<p>text of a page</p><p>text of a page<');
    expect(liveHeap() - before).toBeLessThan(MAX_RETAINED_BYTES);
  });
});
