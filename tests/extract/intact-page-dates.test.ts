/**
 * The extractor reads dates from the page as it came, inline scripts included (a page may state
 * its time zone only there), before it removes code to find the body.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';

const BODY = '<p>' + 'The council met on Friday evening and voted on the new budget for the coming year. '.repeat(4) + '</p>';

describe('dates on the intact page', () => {
  it('shows a UTC stamp in the one time zone the page scripts declare', () => {
    const html =
      '<html><head><meta property="article:published_time" content="2020-05-02T02:54:00Z">' +
      '<script>window.site = {"timezone":"America/New_York"};</script></head>' +
      `<body><article><h1>Budget vote</h1>${BODY}${BODY}</article></body></html>`;
    const { article } = extractArticle(html, { url: 'https://news.example/budget', now: new Date('2024-01-01T00:00:00Z') });
    expect(article.publishedAt).toBe('2020-05-01T22:54:00-04:00');
    expect(article.publishedAtUtc).toBe('2020-05-02T02:54:00Z');
    expect(article.text).not.toContain('timezone');
  });
});
