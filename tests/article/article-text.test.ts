import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countWords, WORD } from '../../src/article/article-text.ts';

const byRegex = (text: string) => text.match(WORD)?.length ?? 0;

describe('countWords', () => {
  it('counts words as the WORD pattern defines them', () => {
    // "3rd" gives the word "rd": a word starts at a letter.
    expect(countWords("Iran, Turkey stress anti-terrorism cooperation; don't 3rd ISIL")).toBe(8);
    expect(countWords('کد خبر: ۷۳۴۹۹۲۶ — دوشنبه')).toBe(3);
    expect(countWords('naïve café 𠀀𠀁 x')).toBe(4);
    expect(countWords('')).toBe(0);
  });

  it('agrees with the pattern on any text, astral and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => countWords(text) === byRegex(text)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '-', "'", '’', ' ', '3', '۳', 'ی', '\u064b', '\ud840', '\udc00', '𠀀', ',') }), (text) =>
        countWords(text) === byRegex(text),
      ),
      { numRuns: 2000 },
    );
  });
});
