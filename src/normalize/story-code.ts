/**
 * The site's own article id ("Story Code : 269797", "کد خبر: ۷۳۴۹۹۲۶", /news/458812/...), as
 * ASCII digits. Together with the site it identifies an article across URLs.
 *
 * Order of evidence: the site profile's pattern, then a labelled code in the page, then the URL.
 */
import { foldArabicLetters, toAsciiDigits } from './digits.ts';

export interface StoryCodeOptions {
  /** The page's address; its path is the last resort. */
  url?: string | null;
  /** Site-profile regular expression; its first capture group (or whole match) is the code. */
  pattern?: string | null;
}

/** Shortest and longest code accepted: shorter is a page number, longer a timestamp or hash. */
const MIN_CODE_DIGITS = 3;
const MAX_CODE_DIGITS = 12;

/**
 * Labels that introduce a story code, in the folded form (Persian letters, ASCII digits).
 * English: Story Code, News ID, News Code, Article ID, News No. Persian: کد خبر, شناسه خبر,
 * کد مطلب, شماره خبر. Arabic: رقم الخبر, رمز الخبر (kaf and yeh already folded to Persian).
 */
const LABEL =
  String.raw`(?:(?:story|news|article|post|content|item)\s*(?:code|id|no\.?|number|#)` +
  String.raw`|(?:کد|شناسه|شماره)\s*(?:خبر|مطلب|مقاله)|(?:رقم|رمز)\s*(?:الخبر|المقال|المقاله|الماده))`;
const LABELLED_CODE = new RegExp(String.raw`(?<!\p{L})${LABEL}\s*[:：#\-–]?\s*(\d{${MIN_CODE_DIGITS},${MAX_CODE_DIGITS}})(?!\d)`, 'iu');

/** URL path segments that hold an article id: /news/458812/…, /story/12345.html, ?id=… */
const URL_CODE_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`/(?:news|story|article|articles|content|post|detail|details|fa/news|en/news)/(\d{${MIN_CODE_DIGITS},${MAX_CODE_DIGITS}})(?:[/.\-_]|$)`, 'i'),
  new RegExp(String.raw`[?&](?:id|newsid|news_id|storyid|story_id|articleid|article_id|nid)=(\d{${MIN_CODE_DIGITS},${MAX_CODE_DIGITS}})(?:&|$)`, 'i'),
];

/**
 * {@link MIN_CODE_DIGITS} digits in a row (any script), or split only by what
 * `foldArabicLetters` removes (tatweel, joiners, direction marks): the least a labelled code
 * needs. Lines without it are turned away before the costly normalization.
 */
const CODE_DIGITS = new RegExp(String.raw`[0-9\u06F0-\u06F9\u0660-\u0669](?:[\u0640\u200C-\u200F\u061C]*[0-9\u06F0-\u06F9\u0660-\u0669]){${MIN_CODE_DIGITS - 1}}`);

function normalizeText(text: string): string {
  return foldArabicLetters(toAsciiDigits(text)).replace(/\s+/g, ' ');
}

function fromPattern(text: string, pattern: string): string | null {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'iu');
  } catch {
    return null;
  }
  const m = re.exec(text);
  if (!m) return null;
  const code = (m[1] ?? m[0]).replace(/\D/g, '');
  return code.length > 0 ? code : null;
}

/** A story code labelled in `text` (or matched by the site pattern), ASCII digits, or null. */
export function findStoryCodeInText(text: string, pattern?: string | null): string | null {
  if (!pattern && !CODE_DIGITS.test(text)) return null;
  const normalized = normalizeText(text);
  if (pattern) {
    const code = fromPattern(normalized, pattern);
    if (code) return code;
  }
  return LABELLED_CODE.exec(normalized)?.[1] ?? null;
}

/** A story code from the URL's path or query, or null. */
export function findStoryCodeInUrl(url: string): string | null {
  let path: string;
  try {
    const u = new URL(url);
    path = decodeURIComponent(u.pathname) + u.search;
  } catch {
    return null;
  }
  path = toAsciiDigits(path);
  for (const re of URL_CODE_PATTERNS) {
    const m = re.exec(path);
    if (m?.[1]) return m[1];
  }
  return null;
}

/**
 * The site's article id from the page's visible lines (in order): the site pattern, then a
 * labelled code in a line, then the URL.
 */
export function findStoryCodeInLines(lines: readonly string[], options: StoryCodeOptions): string | null {
  if (options.pattern) {
    const fromPage = fromPattern(normalizeText(lines.join('\n')), options.pattern);
    if (fromPage) return fromPage;
    if (options.url) {
      const fromUrl = fromPattern(toAsciiDigits(options.url), options.pattern);
      if (fromUrl) return fromUrl;
    }
  }
  for (const line of lines) {
    const code = findStoryCodeInText(line);
    if (code) return code;
  }
  return options.url ? findStoryCodeInUrl(options.url) : null;
}
