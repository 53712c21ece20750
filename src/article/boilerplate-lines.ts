/**
 * The boilerplate-line filter: which lines of an article's text are page furniture (form
 * labels, share bars, tag lines, promos, copyright footers: the patterns are in
 * src/extract/boilerplate.ts), shared by the HTML extractor and the text-dump parser.
 */
import { BOILERPLATE_LINE_MAX_CHARS, BOILERPLATE_LINES, TRAILING_BOILERPLATE_LINES } from '../extract/boilerplate.ts';

/** A site profile's own furniture patterns (sources, as written in the profile), compiled. */
export function compileLinePatterns(sources: readonly string[]): RegExp[] {
  return sources.map((source) => new RegExp(source, 'iu'));
}

/** The reason a paragraph is furniture, or null when it is text. */
export function boilerplateReason(paragraph: string, extra: readonly RegExp[] = []): string | null {
  if (paragraph.length > BOILERPLATE_LINE_MAX_CHARS) return null;
  for (const { pattern, reason } of BOILERPLATE_LINES) if (pattern.test(paragraph)) return reason;
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
  isDateLine?: (paragraph: string) => boolean;
}

/** Drops furniture paragraphs, date lines, trailing furniture, and a first paragraph that repeats the title. */
export function dropBoilerplate(paragraphs: readonly string[], options: DropOptions = {}): string[] {
  const { title = null, extra = [], isDateLine } = options;
  const kept = paragraphs.filter(
    (p) => /[\p{L}\p{N}]/u.test(p) && boilerplateReason(p, extra) === null && !(isDateLine?.(p) ?? false),
  );
  while (kept.length > 0 && isTrailingBoilerplate(kept[kept.length - 1]!)) kept.pop();
  if (title !== null && kept.length > 1 && kept[0] === title) kept.shift();
  return kept;
}
