/**
 * Digit and letter folding for text written in Persian or Arabic script.
 *
 * Pages mix digit systems freely ("۱۳۹۸/11/29", "٢٠٢٠"), and Persian is often typed with the
 * Arabic letters yeh (ي) and kaf (ك) instead of the Persian ی and ک. Everything that parses
 * numbers or matches names goes through these two helpers first.
 */

/** Persian (extended Arabic-Indic) zero, U+06F0; the nine digits follow it. */
const PERSIAN_ZERO = 0x06f0;
/** Arabic-Indic zero, U+0660; the nine digits follow it. */
const ARABIC_INDIC_ZERO = 0x0660;
const NON_ASCII_DIGIT = /[\u06F0-\u06F9\u0660-\u0669]/g;

/** Persian ۰-۹ and Arabic-Indic ٠-٩ to ASCII 0-9; every other character is kept. */
export function toAsciiDigits(s: string): string {
  return s.replace(NON_ASCII_DIGIT, (d) => {
    const code = d.charCodeAt(0);
    const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

/**
 * Arabic letter variants folded to their Persian forms, plus invisible joiners and the
 * decorative tatweel removed, so "تير" matches "تیر" and "آذر‌ماه" matches "آذرماه".
 */
const LETTER_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/[\u064A\u0649]/g, '\u06CC'], // Arabic yeh and alef maksura → Persian yeh ی
  [/\u0643/g, '\u06A9'], // Arabic kaf → Persian keheh ک
  [/[\u0640\u200C\u200D\u200E\u200F\u061C]/g, ''], // tatweel, ZWNJ, ZWJ, direction marks
];

/** Fold Arabic yeh/kaf to Persian ی/ک and drop tatweel, joiners and direction marks. */
export function foldArabicLetters(s: string): string {
  let out = s;
  for (const [from, to] of LETTER_FOLDS) out = out.replace(from, to);
  return out;
}

/** A digit in any of the systems above (ASCII, Persian, Arabic-Indic): `\d` alone misses "۱۳ اسفند ۱۳۹۷". */
export const ANY_DIGIT = /[0-9\u06F0-\u06F9\u0660-\u0669]/;
