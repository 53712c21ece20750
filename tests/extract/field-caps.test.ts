import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, capLength } from '../../src/extract/field-caps.ts';
import { extractArticle } from '../../src/extract/index.ts';

const BODY = `<article><p>${'The article body is a paragraph long enough to be the main content. '.repeat(5)}</p></article>`;

describe('capLength', () => {
  it('keeps a short text and null as they are', () => {
    expect(capLength('Headline', 20)).toBe('Headline');
    expect(capLength(null, 20)).toBeNull();
  });

  it('cuts a long text at a late space and marks the cut', () => {
    expect(capLength('one two three four five six', 20)).toBe('one two three four…');
  });

  it('cuts hard when there is no late space, never inside a surrogate pair', () => {
    expect(capLength('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    const emoji = `${'a'.repeat(8)}😀😀😀`;
    const capped = capLength(emoji, 10)!;
    expect(capped).toBe(`${'a'.repeat(8)}…`);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(capped)).toBe(false);
  });
});

describe('article title and description caps', () => {
  it('a 1 MB <title> and a 1 MB description are stored capped, the body whole', () => {
    const title = 'Headline words '.repeat(70_000);
    const description = 'A description sentence. '.repeat(45_000);
    const html = `<html><head><title>${title}</title><meta name="description" content="${description}"></head><body>${BODY}</body></html>`;
    const { article } = extractArticle(html, { url: 'https://example.com/news/1' });
    expect(article.title!.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(article.title!.length).toBeGreaterThan(MAX_TITLE_CHARS * 0.8);
    expect(article.title).toMatch(/^Headline words .*…$/);
    expect(article.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(article.description).toMatch(/^A description sentence\. .*…$/);
    expect(article.text).toContain('The article body is a paragraph');
  });

  it('leaves ordinary titles and descriptions untouched', () => {
    const html = `<html><head><title>Ordinary headline</title><meta name="description" content="Lead sentence."></head><body>${BODY}</body></html>`;
    const { article } = extractArticle(html, { url: 'https://example.com/news/2' });
    expect(article.title).toBe('Ordinary headline');
    expect(article.description).toBe('Lead sentence.');
  });
});
