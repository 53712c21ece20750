/** Normalization: digits, dates (text, pages, URLs) and story codes. */
export { toAsciiDigits, foldArabicLetters } from './digits.ts';
export { parseDateText, type NormalizedDate, type ParseDateOptions } from './date-text.ts';
export { indexPage, type PageIndex } from './page-index.ts';
export { findPublicationDates, type PublicationDates, type PublicationDateOptions } from './publication-date.ts';
export { findStoryCode, findStoryCodeInText, findStoryCodeInUrl, type StoryCodeOptions } from './story-code.ts';
export { dateFromUrl } from './url-date.ts';
