/**
 * The boilerplate-line filter: which lines of an article's text are page furniture (form
 * labels, share bars, tag lines, promos, copyright footers: the patterns are in
 * src/extract/boilerplate.ts), shared by the HTML extractor and the text-dump parser.
 */
import {
  BOILERPLATE_LINE_MAX_CHARS, BOILERPLATE_LINES, END_OF_ARTICLE_HEADINGS, EUROPEAN_BOILERPLATE_LINES,
  TAIL_MAX_PARAGRAPH_CHARS, TAIL_MIN_PARAGRAPHS_BEFORE, TRAILING_BOILERPLATE_LINES,
} from '../extract/boilerplate.ts';

/** A site profile's own furniture patterns (sources, as written in the profile), compiled. */
export function compileLinePatterns(sources: readonly string[]): RegExp[] {
  return sources.map((source) => new RegExp(source, 'iu'));
}

/** The reason a paragraph is furniture, or null when it is text. */
export function boilerplateReason(paragraph: string, extra: readonly RegExp[] = []): string | null {
  if (paragraph.length > BOILERPLATE_LINE_MAX_CHARS) return null;
  for (const { pattern, reason } of BOILERPLATE_LINES) if (pattern.test(paragraph)) return reason;
  for (const { pattern, reason } of EUROPEAN_BOILERPLATE_LINES) if (pattern.test(paragraph)) return reason;
  for (const pattern of extra) if (pattern.test(paragraph)) return `profile pattern ${pattern.source}`;
  return null;
}

/** Whether a paragraph is furniture when it closes the body (a URL printed under the article). */
export function isTrailingBoilerplate(paragraph: string): boolean {
  return paragraph.length <= BOILERPLATE_LINE_MAX_CHARS && TRAILING_BOILERPLATE_LINES.some(({ pattern }) => pattern.test(paragraph));
}

export interface DropOptions {
  /** The headline: a first paragraph repeating it is dropped. */
  title?: string | null;
  /** The site profile's own furniture patterns. */
  extra?: readonly RegExp[];
  /** Recognises date lines (src/normalize's date parser, in the site's time zone). */
  dateLines?: DateLineTest;
}

/**
 * A test for date lines. An object's method rather than a closure made per page: see "Hot
 * walkers" in src/extract/index.ts (the extractor's one is DateLines, extract/dates/page-dates.ts).
 */
export interface DateLineTest {
  isDateLine(paragraph: string): boolean;
}

/**
 * Where the furniture at the end of the body starts: the first end-of-article heading ("Related
 * articles", "Über den Autor", "Pressekontakt") past the first paragraphs after which nothing long
 * follows; the length of the body when there is none.
 */
export function tailStart(paragraphs: readonly string[]): number {
  let allShortFrom = paragraphs.length;
  while (allShortFrom > 0 && paragraphs[allShortFrom - 1]!.length <= TAIL_MAX_PARAGRAPH_CHARS) allShortFrom--;
  for (let i = Math.max(allShortFrom - 1, TAIL_MIN_PARAGRAPHS_BEFORE); i < paragraphs.length; i++) {
    const p = paragraphs[i]!;
    if (p.length <= BOILERPLATE_LINE_MAX_CHARS && END_OF_ARTICLE_HEADINGS.some((pattern) => pattern.test(p))) return i;
  }
  return paragraphs.length;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Drops furniture paragraphs, date lines, the furniture at the end, and a first paragraph that repeats the title. */
export function dropBoilerplate(paragraphs: readonly string[], options: DropOptions = {}): string[] {
  const { title = null, extra = [], dateLines } = options;
  const kept: string[] = [];
  const end = tailStart(paragraphs);
  for (let i = 0; i < end; i++) {
    const p = paragraphs[i]!;
    if (LETTER_OR_DIGIT.test(p) && boilerplateReason(p, extra) === null && !(dateLines?.isDateLine(p) ?? false)) kept.push(p);
  }
  while (kept.length > 0 && isTrailingBoilerplate(kept[kept.length - 1]!)) kept.pop();
  if (title !== null && kept.length > 1 && kept[0] === title) kept.shift();
  return kept;
}
