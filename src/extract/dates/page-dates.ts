/**
 * Dates and story code of a page, found on the intact document (before cleaning strips the date
 * lines they are printed in). The parsing belongs to src/normalize/; this module only chooses
 * the inputs (the profile's selectors, time zone and code pattern) and adapts the answers to the
 * article's fields.
 */
import type { CheerioAPI } from 'cheerio';
import type { ArticleDates } from '../../article/build-article.ts';
import type { DateLineTest } from '../../article/boilerplate-lines.ts';
import { type NormalizedDate, parseDateText } from '../../normalize/date-text.ts';
import { ANY_DIGIT } from '../../normalize/digits.ts';
import { foldForMatching, lookupMonth } from '../../normalize/month-names.ts';
import { findStoryCodeInLines, findStoryCodeInText } from '../../normalize/story-code.ts';
import { foldSpace } from '../../normalize/whitespace.ts';
import { DATE_LINE_MAX_CHARS, DATE_LINE_MAX_OTHER_WORDS, DATE_LINE_WORD } from '../boilerplate.ts';
import { indexPage, type PageIndex } from '../page/page-index.ts';
import type { SiteProfile } from '../sites/index.ts';
import { findPublicationDates } from './index.ts';

/** An article's date fields and story code (see src/article/build-article.ts). */
export type PageDates = ArticleDates;

/** A normalized date, as src/normalize returns it. */
export type TextDate = NormalizedDate;

function dateOptions(profile: SiteProfile | null, now: Date): { timeZone: string | null; dayFirst: boolean | null; now: Date } {
  return { timeZone: profile?.timeZone ?? null, dayFirst: profile?.dayFirst ?? null, now };
}

/** The first profile selector whose text parses as a date. */
function profileDate($: CheerioAPI, profile: SiteProfile | null, now: Date): NormalizedDate | null {
  if (profile === null) return null;
  for (const selector of profile.selectors.date) {
    const text = foldSpace($(selector).first().text());
    if (text === '') continue;
    const date = parseDateText(text, dateOptions(profile, now));
    if (date !== null) return date;
  }
  return null;
}

/** The first profile selector whose text holds a story code. */
function profileStoryCode($: CheerioAPI, profile: SiteProfile | null): string | null {
  if (profile === null) return null;
  for (const selector of profile.selectors.storyCode) {
    const text = foldSpace($(selector).first().text());
    if (text === '') continue;
    const code = findStoryCodeInText(text, profile.storyCodePattern) ?? findStoryCodeInText(text);
    if (code !== null) return code;
  }
  return null;
}

/** Dates and code of the page; `index` is its {@link PageIndex} when the caller has one (it is built otherwise). */
export function readDatesAndCode(
  $: CheerioAPI, options: { url: string | null; profile: SiteProfile | null; now: Date }, index: PageIndex = indexPage($),
): PageDates {
  const { url, profile, now } = options;
  const found = findPublicationDates($, { url, ...dateOptions(profile, now) }, index);
  const published = profileDate($, profile, now) ?? found.published;
  return {
    publishedAt: published?.value ?? null,
    publishedPrecision: published?.precision ?? null,
    publishedAtUtc: published?.utc ?? null,
    publishedAtRaw: published?.raw ?? null,
    modifiedAt: found.modified?.value ?? null,
    storyCode:
      profileStoryCode($, profile) ??
      findStoryCodeInLines(index.lines.map((l) => l.text), { url, pattern: profile?.storyCodePattern ?? null }),
  };
}

/** A date written in a line of text, in the profile's time zone, or null. */
export function parseDateLine(text: string, options: { profile: SiteProfile | null; now: Date }): TextDate | null {
  return parseDateText(text, dateOptions(options.profile, options.now));
}

/** The story code written in a line of text ("Story Code : 269797"), or null. */
export function storyCodeInLine(text: string, profile: SiteProfile | null): string | null {
  return findStoryCodeInText(text, profile?.storyCodePattern ?? null);
}

/** isDateLine for one page, as the boilerplate filter asks it (src/article/boilerplate-lines.ts). */
export class DateLines implements DateLineTest {
  readonly profile: SiteProfile | null;
  readonly now: Date;

  constructor(profile: SiteProfile | null, now: Date) {
    this.profile = profile;
    this.now = now;
  }

  isDateLine(paragraph: string): boolean {
    return isDateLine(paragraph, this);
  }
}

/**
 * Whether a paragraph is only a date line ("November 20, 2019 - 11:28 AMT", "Posted on 3 May
 * 2019"): short, with a digit, at most {@link DATE_LINE_MAX_OTHER_WORDS} words that are neither
 * month, weekday nor label words, and parsing as a date. A sentence that contains a date
 * ("— The Nigerian Senate (@NGRSenate) October 9, 2018") has more other words and stays.
 */
export function isDateLine(paragraph: string, options: { profile: SiteProfile | null; now: Date }): boolean {
  if (paragraph.length > DATE_LINE_MAX_CHARS || !ANY_DIGIT.test(paragraph)) return false;
  let others = 0;
  for (const word of paragraph.match(/\p{L}{4,}/gu) ?? []) {
    const folded = foldForMatching(word);
    if (lookupMonth(folded) === null && !DATE_LINE_WORD.test(folded) && ++others > DATE_LINE_MAX_OTHER_WORDS) return false;
  }
  return parseDateLine(paragraph, options) !== null;
}
