/**
 * Plain-text article dumps (like ../shared/fixtures/text-dumps/): an article copied out of a page
 * as text. Their shape:
 *
 *   28 Mar 2024                          ← header lines: retrieval date, article date, story code
 *   Tuesday 25 July 2017 - 22:43
 *   Story Code : 269797
 *
 *   Iran, Turkey stress expansion …      ← a title line (short, no closing punctuation)
 *
 *   FNA- High-ranking Iranian …          ← the body, one paragraph a line
 *   https://theiranproject.com/….html    ← the page's address
 *   Your Name                            ← form-label leftovers
 *   Your Email Address
 *
 * or a labelled date run into the first paragraph (" date 2019-03-04 According to …").
 *
 * The steps: split into lines; take the trailer (URL and furniture) off the end, which names
 * the site and so its profile; read the header lines (dates, story code); take the title line;
 * the rest is the body, cleaned with the same furniture patterns and credit peeling as HTML.
 * Pure, never throws.
 */
import type { Article, ExtractionResult } from '../article/article.ts';
import { joinParagraphs, peelCredit } from '../article/article-text.ts';
import { boilerplateReason, compileLinePatterns, isTrailingBoilerplate } from '../article/boilerplate-lines.ts';
import { buildArticle, emptyArticle } from '../article/build-article.ts';
import { type TextDate, parseDateLine, storyCodeInLine } from '../extract/dates/page-dates.ts';
import { detectLanguage } from '../extract/language.ts';
import { safeSite } from '../extract/metadata.ts';
import { type SiteProfile, findProfile } from '../extract/sites/index.ts';
import { foldSpace } from '../normalize/whitespace.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';

export interface TextDumpOptions {
  /** The dump's file name, for messages. */
  fileName?: string;
  /** User site profiles, consulted before the built-in ones. */
  profiles?: readonly SiteProfile[];
  /** "Now" for rejecting dates in the future. @defaultValue the current time */
  now?: Date;
}

export const TEXT_DUMP_EXTRACTOR = 'text-dump@1';

/** Header lines are short: a longer first line is already the body. */
const MAX_HEADER_LINE_CHARS = 80;
/** At most this many header lines are read before the title. */
const MAX_HEADER_LINES = 6;
/** A title line is at most this long and has no sentence-closing punctuation. */
const MAX_TITLE_CHARS = 200;
const MAX_TITLE_WORDS = 30;
const SENTENCE_END = /[.!?؟。…]["”’»)]*$/;
/** A whole-line URL (the page's own address, printed under the body). */
const URL_LINE = /^https?:\/\/\S+$/i;
/** A date run into the first paragraph behind a label: " date 2019-03-04 According to …". */
const LABELLED_DATE_PREFIX =
  /^(?:date|published|تاریخ|التاريخ)\s*[:：-]?\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\s+/iu;
/** NUL and other control characters: a file with many of them is binary, not a dump. */
const CONTROL_CHARS = /[\u0000-\u0008\u000e-\u001f]/g;
/** Tags that mark HTML rather than text. */
const HTML_MARKER = /<(?:!doctype|html|head|body|div|p|article|meta|script|span|table)\b/i;

/** Whether a file's content is a plain-text dump (not HTML, not binary): for `ingest extract`. */
export function looksLikeTextDump(content: string): boolean {
  if (typeof content !== 'string' || content.trim() === '') return false;
  const head = content.slice(0, 4096);
  if (HTML_MARKER.test(head)) return false;
  const control = head.match(CONTROL_CHARS)?.length ?? 0;
  if (control > head.length / 100) return false;
  return /\p{L}{2,}/u.test(head);
}

export function parseTextDump(text: string, options: TextDumpOptions = {}): ExtractionResult {
  try {
    return parse(text, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { article: emptyDumpArticle(), reason: `text dump not parsed: ${message}` };
  }
}

function parse(text: string, options: TextDumpOptions): ExtractionResult {
  if (typeof text !== 'string' || text.trim() === '') return { article: emptyDumpArticle(), reason: 'input is empty' };
  const now = options.now ?? new Date();
  const lines = text.replace(/^\ufeff/, '').split(/\r\n?|\n/).map((line) => foldSpace(line));

  const { url, bodyEnd } = readTrailer(lines);
  const site = safeSite(url);
  const profile = findProfile(site, options.profiles);
  const header = readHeader(lines.slice(0, bodyEnd), profile, now);
  const { title, rest } = readTitle(header.rest);
  const patterns = profile === null ? [] : compileLinePatterns(profile.boilerplatePatterns);
  const kept = rest.filter((line) => line !== '' && boilerplateReason(line, patterns) === null);
  const { paragraphs, credit } = peelCredit(kept);
  const body = joinParagraphs(paragraphs);

  const article = buildArticle({
    url,
    canonicalUrl: canonical(url),
    site,
    title,
    publishedAt: header.published?.value ?? null,
    publishedPrecision: header.published?.precision ?? null,
    publishedAtUtc: header.published?.utc ?? null,
    publishedAtRaw: header.published?.raw ?? null,
    retrievedAt: header.retrieved?.value ?? null,
    storyCode: header.storyCode,
    credit,
    language: detectLanguage(body) ?? profile?.language ?? null,
    text: body,
    extractor: TEXT_DUMP_EXTRACTOR,
  });
  return { article, reason: body === '' ? 'no article text in the dump' : null };
}

/** The trailer: furniture and blank lines at the end, and the page's URL among them. */
function readTrailer(lines: readonly string[]): { url: string | null; bodyEnd: number } {
  let end = lines.length;
  let url: string | null = null;
  while (end > 0) {
    const line = lines[end - 1]!;
    if (line === '') end--;
    else if (URL_LINE.test(line)) {
      url ??= line;
      end--;
    } else if (boilerplateReason(line) !== null || isTrailingBoilerplate(line)) end--;
    else break;
  }
  return { url, bodyEnd: end };
}

interface Header {
  published: TextDate | null;
  retrieved: TextDate | null;
  storyCode: string | null;
  rest: string[];
}

/**
 * Header lines at the top: dates and a story code, each on a short line of its own. With two
 * dates, the later is when the dump was retrieved and the earlier when the article was
 * published; a single date is the publication's. A labelled date run into the first paragraph
 * is the publication date.
 */
function readHeader(lines: readonly string[], profile: SiteProfile | null, now: Date): Header {
  const dates: TextDate[] = [];
  let storyCode: string | null = null;
  let i = 0;
  let read = 0;
  for (; i < lines.length && read < MAX_HEADER_LINES; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line.length > MAX_HEADER_LINE_CHARS) break;
    const code = storyCodeInLine(line, profile);
    if (code !== null && storyCode === null) {
      storyCode = code;
      read++;
      continue;
    }
    const date = parseDateLine(line, { profile, now });
    if (date === null || !isWholeLineDate(line)) break;
    dates.push(date);
    read++;
  }
  const rest = lines.slice(i);
  const first = rest.findIndex((line) => line !== '');
  if (first >= 0) {
    const match = LABELLED_DATE_PREFIX.exec(rest[first]!);
    const date = match === null ? null : parseDateLine(match[1]!, { profile, now });
    if (match !== null && date !== null) {
      dates.push(date);
      rest[first] = rest[first]!.slice(match[0].length);
    }
  }
  const ordered = [...dates].sort((a, b) => instant(a) - instant(b));
  const published = ordered.length >= 2 ? ordered[0]! : (ordered[0] ?? null);
  const retrieved = ordered.length >= 2 ? ordered[ordered.length - 1]! : null;
  return { published, retrieved, storyCode, rest };
}

/** A header date line holds the date and little else (a weekday, separators, a time). */
function isWholeLineDate(line: string): boolean {
  return line.split(/\s+/).length <= 8;
}

function instant(date: TextDate): number {
  const ms = Date.parse(date.utc ?? date.value);
  return Number.isNaN(ms) ? 0 : ms;
}

/** The title: the first line when it is short, unpunctuated and followed by more text. */
function readTitle(lines: readonly string[]): { title: string | null; rest: string[] } {
  const index = lines.findIndex((line) => line !== '');
  if (index < 0) return { title: null, rest: [] };
  const line = lines[index]!;
  const after = lines.slice(index + 1);
  const isTitle =
    line.length <= MAX_TITLE_CHARS &&
    line.split(/\s+/).length <= MAX_TITLE_WORDS &&
    !SENTENCE_END.test(line) &&
    after.some((l) => l !== '');
  return isTitle ? { title: line, rest: after } : { title: null, rest: lines.slice(index) };
}

function canonical(url: string | null): string | null {
  if (url === null) return null;
  try {
    return canonicalizeUrl(url);
  } catch {
    return null;
  }
}

function emptyDumpArticle(): Article {
  return emptyArticle(TEXT_DUMP_EXTRACTOR);
}
