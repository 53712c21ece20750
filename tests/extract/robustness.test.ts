/**
 * The extractor never throws: whatever the input (empty, binary, truncated, deeply nested,
 * 10 MB), it returns an article, with empty text and a reason when there is no content.
 * extractArticle and parseTextDump catch every exception and turn it into a reason, so "did not
 * throw" proves nothing by itself: each case also asserts that the reason is not one of those
 * caught internal errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/article/article.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { parseTextDump } from '../../src/import/text-dump.ts';

const PAGE = readFileSync(join(import.meta.dirname, '../fixtures/pages/theiranproject-269797/page.html'), 'utf8');
const URL = 'https://theiranproject.com/vdcjhhe8auqemaz.92fu.html';

/**
 * The reasons extractArticle and parseTextDump give when they caught an exception of their own
 * (src/extract/index.ts, src/import/text-dump.ts): a bug, never an answer about the input.
 */
const INTERNAL_ERROR_REASON = /^(extraction failed|text dump not parsed):/;

function expectWellFormed(article: Article, reason: string | null): void {
  expect(reason ?? '').not.toMatch(INTERNAL_ERROR_REASON);
  expect(typeof article.text).toBe('string');
  expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
  expect(Number.isInteger(article.wordCount)).toBe(true);
  if (article.text === '') expect(reason).not.toBeNull();
  else expect(reason).toBeNull();
}

/** Fragments that make up HTML-ish noise: tags, broken tags, entities, scripts, text. */
const htmlFragment = fc.oneof(
  fc.constantFrom('<p>', '</p>', '<div class="article-body">', '</div>', '<br>', '<a href="x">', '</a>', '<script>', '</script>',
    '<table><tr><td>', '<!--', '-->', '<![CDATA[', '&amp;', '&#x0;', '<h1>', '<li>', '<form>', '<nav>', '<', '>', '"', "'",
    '<meta property="og:title" content="', '<script type="application/ld+json">{"@type":"NewsArticle","headline":'),
  fc.string({ maxLength: 40 }),
  fc.lorem({ maxCount: 30 }),
);

describe('extractArticle robustness', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (input) => {
        const { article, reason } = extractArticle(input);
        expectWellFormed(article, reason);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on HTML-shaped noise, with or without a URL', () => {
    fc.assert(
      fc.property(fc.array(htmlFragment, { maxLength: 200 }), fc.option(fc.webUrl(), { nil: null }), (parts, url) => {
        const { article, reason } = extractArticle(parts.join(''), { url });
        expectWellFormed(article, reason);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any truncation of a real page', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: PAGE.length }), (cut) => {
        const { article, reason } = extractArticle(PAGE.slice(0, cut), { url: URL });
        expectWellFormed(article, reason);
      }),
      { numRuns: 100 },
    );
  });

  it('never throws on bad URLs and odd options', () => {
    for (const url of ['', 'not a url', 'javascript:alert(1)', 'http://', 'https://exa mple.com/', null, undefined]) {
      const { article, reason } = extractArticle(PAGE, { url });
      expectWellFormed(article, reason);
      expect(article.text).not.toBe('');
    }
  });

  it('reports empty and binary input', () => {
    expect(extractArticle('').reason).toBe('input is empty');
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(extractArticle(binary).reason).toBe('input is not HTML');
    expect(extractArticle(null as unknown as string).reason).toBe('input is not a string');
    expect(extractArticle('<html><body><nav><a href="/">Home</a></nav></body></html>').reason).toBe('no main content found');
  });

  it('survives 100,000 levels of nesting', () => {
    const depth = 100_000;
    const html = `<html><body>${'<div>'.repeat(depth)}<p>Deep text, with a comma, that is long enough to count as a paragraph.</p>${'</div>'.repeat(depth)}</body></html>`;
    const { article, reason } = extractArticle(html);
    expectWellFormed(article, reason);
    expect(article.text).toContain('Deep text');
  });

  it('survives a 10 MB page', () => {
    const paragraph = '<p>The committee met again on Tuesday, and it discussed the budget, the roads and the schools at length.</p>\n';
    const html = `<html><body><article>${paragraph.repeat(Math.ceil(10_000_000 / paragraph.length))}</article></body></html>`;
    expect(html.length).toBeGreaterThanOrEqual(10_000_000);
    const { article, reason } = extractArticle(html);
    expectWellFormed(article, reason);
    expect(article.wordCount).toBeGreaterThan(100_000);
  });
});

describe('parseTextDump robustness', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('\n', '\n\n', 'Story Code : 12345', '28 Mar 2024', 'https://example.com/a', 'Your Name', ' date 2019-03-04 ')), { maxLength: 60 }), (parts) => {
        const { article, reason } = parseTextDump(parts.join(''));
        expectWellFormed(article, reason);
      }),
      { numRuns: 300 },
    );
  });
});
