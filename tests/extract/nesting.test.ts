import { describe, expect, it } from 'vitest';
import { limitNesting } from '../../src/extract/nesting.ts';

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
