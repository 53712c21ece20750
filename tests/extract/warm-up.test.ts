import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/extract/index.ts';
import { WARM_UP_OPTIONS, WARM_UP_PAGE } from '../../src/extract/warm-up.ts';

describe('the warm-up page (warmUpExtractor)', () => {
  it('runs the whole extractor on its page: metadata, JSON-LD, dates, cleaning, scoring and paragraphs', () => {
    // The warm-up is worth its runs only if its page takes every step a real page does.
    const { article, reason } = extractArticle(WARM_UP_PAGE, WARM_UP_OPTIONS);
    expect(reason).toBeNull();
    expect(article.title).toBe('Harbour council approves new ferry timetable');
    expect(article.authors).toEqual(['A. Writer']);
    expect(article.publishedAtUtc).toBe('2024-03-05T08:30:00Z');
    expect(article.language).toBe('en');
    expect(article.text.split('\n\n')).toHaveLength(4);
    expect(article.text).toContain('€3.50 for a single crossing');
    for (const chrome of ['Home', 'Share', 'Pier repairs', 'Your Email Address', '© 2024']) expect(article.text).not.toContain(chrome);
  });
});
