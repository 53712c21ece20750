import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldArabicLetters, toAsciiDigits } from '../../src/normalize/digits.ts';

describe('toAsciiDigits', () => {
  it('converts Persian and Arabic-Indic digits, mixed in one string', () => {
    expect(toAsciiDigits('۷۳۴۹۹۲۶')).toBe('7349926');
    expect(toAsciiDigits('٢٠٢٠')).toBe('2020');
    expect(toAsciiDigits('۱۳۹۸/١١/29')).toBe('1398/11/29');
  });

  it('keeps every other character', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = toAsciiDigits(s);
        expect(out.length).toBe(s.length);
        expect(/[\u06F0-\u06F9\u0660-\u0669]/.test(out)).toBe(false);
      }),
    );
  });
});

describe('foldArabicLetters', () => {
  it('folds Arabic yeh and kaf to Persian, drops tatweel and joiners', () => {
    expect(foldArabicLetters('تير')).toBe('تیر');
    expect(foldArabicLetters('كد خبر')).toBe('کد خبر');
    expect(foldArabicLetters('آذر\u200Cماه')).toBe('آذرماه');
    expect(foldArabicLetters('تـیر')).toBe('تیر');
  });
});
