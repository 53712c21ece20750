import { describe, expect, it } from 'vitest';
import { limitMarkup, limitNesting } from '../../src/extract/nesting.ts';

describe('limitNesting', () => {
  it('returns shallow markup unchanged (the same string)', () => {
    const html = '<html><body><div><p>a<br>b<img src=x></p></div></body></html>';
    expect(limitNesting(html, 10)).toBe(html);
  });

  it('drops the tags beyond the cap, keeps every text', () => {
    const html = `${'<div>'.repeat(6)}text${'</div>'.repeat(6)}<p>after</p>`;
    expect(limitNesting(html, 3)).toBe('<div><div><div>text</div></div></div><p>after</p>');
  });

  it('ignores void and self-closing elements and stray "<"', () => {
    const html = '<div><br><img src=a><x/>1 < 2</div>';
    expect(limitNesting(html, 1)).toBe(html);
  });
});

describe('limitMarkup', () => {
  it('returns markup within both caps unchanged (the same string)', () => {
    const html = '<html><body><div><p>a<br>b<img src=x></p></div></body></html>';
    expect(limitMarkup(html, { maxDepth: 10, maxElements: 7 })).toBe(html);
  });

  it('drops the tags after the element cap, void ones included, and keeps every text', () => {
    const html = '<div><p>one</p><p>two<br>three</p><b>four</b></div>';
    // div, p, p are the first three elements; the <br> and <b> (and </b>) go, </p> and </div> stay.
    expect(limitMarkup(html, { maxElements: 3 })).toBe('<div><p>one</p><p>twothree</p>four</div>');
  });

  it('bounds an 8 MB run of <br> to the cap in one scan, keeping the article before it', () => {
    const article = '<p>The article comes first.</p>';
    const html = `<html><body>${article}${'<br>'.repeat(2_000_000)}</body></html>`;
    const limited = limitMarkup(html, { maxElements: 100 });
    expect(limited.match(/<br>/g)).toHaveLength(100 - 3);
    expect(limited).toBe(`<html><body>${article}${'<br>'.repeat(97)}</body></html>`);
  });

  it('applies the depth cap as limitNesting does', () => {
    const html = `${'<div>'.repeat(6)}text${'</div>'.repeat(6)}`;
    expect(limitMarkup(html, { maxDepth: 3 })).toBe(limitNesting(html, 3));
  });
});
