/**
 * Article extraction from HTML: a pure function of the page (and its address) that never throws.
 *
 * The steps, each a small function of its own module:
 *   1. check the input and parse it (htmlparser2, through cheerio);
 *   2. read metadata from the intact page: title, authors, description, canonical URL, language;
 *   3. find the site profile and read dates and the story code (before cleaning removes them);
 *   4. clean the document: non-content nodes, then page chrome, then the profile's removals;
 *   5. find the body (the profile's selector, else the generic scorer) and render its paragraphs,
 *      or take the JSON-LD articleBody when the page's markup misses most of it;
 *   6. drop furniture paragraphs, peel the agency credit, and assemble the article.
 *
 * Hot walkers: the functions that run for every node, line or paragraph of a page (the tree
 * walks of stats.ts, content.ts, clean.ts, paragraphs.ts and page/visible-lines.ts, the date
 * line test) are module-level functions or methods of module-level classes, taking their state
 * as arguments or fields, not closures made inside the call. V8 keeps a function's optimized
 * code only weakly, alive through the function objects that run it: a closure made per page
 * dies with the page, so after each full collection (one every 20-odd pages in an extraction
 * thread) its next copy was interpreted and compiled again, Maglev then TurboFan (`--trace-opt`:
 * 2,400 ms of compilation in 2,600 pages, a `visit` compiled 38 times; issue 13).
 */
import { type CheerioAPI, load } from 'cheerio/slim';
import type { Article, ExtractionResult } from '../article/article.ts';
import { joinParagraphs, peelCredit } from '../article/article-text.ts';
import { compileLinePatterns, dropBoilerplate } from '../article/boilerplate-lines.ts';
import { buildArticle, emptyArticle as emptyArticleOf, NO_DATES } from '../article/build-article.ts';
import { foldSpace } from '../normalize/whitespace.ts';
import { JSON_LD_BODY_MIN_CHARS, JSON_LD_BODY_MIN_COVERAGE, MAX_HTML_CHARS } from './boilerplate.ts';
import { removeChrome, removeCode, removeCodeAndNonContent, removeNonContent } from './clean.ts';
import { findMainContent } from './content.ts';
import { DateLines, type PageDates, readDatesAndCode } from './dates/page-dates.ts';
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, capLength } from './field-caps.ts';
import { detectLanguage } from './language.ts';
import { type PageMetadata, readMetadata } from './metadata.ts';
import { limitMarkup } from './nesting.ts';
import { type Element, type ParentNode, findFirst, isElement } from './page/dom.ts';
import { HTML_LOAD_OPTIONS } from './page/fast-tokenizer.ts';
import { type PageIndex, indexPage } from './page/page-index.ts';
import { renderParagraphs } from './paragraphs.ts';
import { type SiteProfile, findProfile } from './sites/index.ts';
import type { StatsMap } from './stats.ts';

export { BUILTIN_PROFILES, type SiteProfile } from './sites/index.ts';

export interface ExtractOptions {
  /** The page address: gives the site, resolves relative links, and carries codes and dates. */
  url?: string | null;
  /** When the page was retrieved; passed through to the article. */
  retrievedAt?: string | null;
  /** User profiles, consulted before the built-in ones. */
  profiles?: readonly SiteProfile[];
  /** "Now" for rejecting dates in the future. @defaultValue the current time */
  now?: Date;
}

export type { ExtractionResult } from '../article/article.ts';

/** Version of the generic extractor, bumped when its output changes. */
export const GENERIC_EXTRACTOR = 'generic@1';

/** Share of control characters above which the input is binary, not HTML. */
const MAX_CONTROL_CHAR_SHARE = 0.1;
/** How much of the input the binary check reads. */
const SNIFF_CHARS = 2048;

export function extractArticle(html: string, options: ExtractOptions = {}): ExtractionResult {
  try {
    return extract(html, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { article: emptyArticle(options), reason: `extraction failed: ${message}` };
  }
}

function extract(html: string, options: ExtractOptions): ExtractionResult {
  const url = options.url ?? null;
  const now = options.now ?? new Date();
  // 1. Check and parse.
  const problem = inputProblem(html);
  if (problem !== null) return { article: emptyArticle(options), reason: problem };
  const $ = parse(html);
  const root = $.root()[0]!;

  // 2–3. Metadata, profile, dates and code, from the intact page (inline scripts included:
  // some pages state their time zone or their only date there).
  const index = indexSafely($, root);
  const metadata = readMetadata(root, url, index);
  const profile = findProfile(metadata.site, options.profiles);
  const dates = index === null ? NO_DATES : readDatesSafely($, { url, profile, now }, index);
  removeCodeFor(profile, root);
  const title = (profile === null ? null : firstText($, profile.selectors.title)) ?? metadata.title;
  const authors = profile === null ? [] : allTexts($, profile.selectors.author);

  // 4–5. Clean, find the body, render its paragraphs.
  const stats = cleanDocument($, root, profile);
  const paragraphs = preferCompleteJsonLdBody(bodyParagraphs($, root, profile, stats), metadata.ldArticleBody);

  // 6. Drop furniture, peel the credit, assemble.
  const kept = dropBoilerplate(paragraphs, {
    title,
    extra: profilePatterns(profile),
    dateLines: new DateLines(profile, now),
  });
  const { paragraphs: body, credit } = peelCredit(kept);
  const text = joinParagraphs(body);
  const article = assemble({
    options, metadata: authors.length > 0 ? { ...metadata, authors } : metadata, dates, profile, title, text, credit,
  });
  return { article, reason: text === '' ? 'no main content found' : null };
}

/** Step 1: a reason the input cannot be HTML, or null. */
function inputProblem(html: unknown): string | null {
  if (typeof html !== 'string') return 'input is not a string';
  if (html.trim() === '') return 'input is empty';
  const head = html.slice(0, SNIFF_CHARS);
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const code = head.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd) control++;
  }
  if (control > head.length * MAX_CONTROL_CHAR_SHARE) return 'input is not HTML';
  return null;
}

/** Step 1: parse (htmlparser2, through cheerio, with the fast tokenizer) with the markup guard (depth and element caps). */
function parse(html: string): CheerioAPI {
  const input = limitMarkup(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  return load(input, HTML_LOAD_OPTIONS);
}

function firstText($: CheerioAPI, selectors: readonly string[]): string | null {
  for (const selector of selectors) {
    const text = foldSpace($(selector).first().text());
    if (text !== '') return text;
  }
  return null;
}

/** The distinct texts of every element the selectors match (a profile's author selectors). */
function allTexts($: CheerioAPI, selectors: readonly string[]): string[] {
  const texts = new Set<string>();
  for (const selector of selectors) {
    $(selector).each((_, el) => {
      const text = foldSpace($(el).text());
      if (text !== '') texts.add(text);
    });
  }
  return [...texts];
}

/**
 * Steps 2–3: what metadata, dates and code read from the intact page, gathered in one walk; null
 * when the tree is too deep to walk (the page then has no dates, and metadata walks it itself).
 */
function indexSafely($: CheerioAPI, root: ParentNode): PageIndex | null {
  try {
    return indexPage($, root);
  } catch {
    return null;
  }
}

/** Step 3: dates and code; a failure there costs the dates, not the article. */
function readDatesSafely(
  $: CheerioAPI, options: { url: string | null; profile: SiteProfile | null; now: Date }, index: PageIndex,
): PageDates {
  try {
    return readDatesAndCode($, options, index);
  } catch {
    return NO_DATES;
  }
}

/**
 * After step 3: code goes. A profile's title and author selectors read the page next, and its
 * removals come before the non-content ones (step 4); without a profile nothing reads the page in
 * between, and one walk removes both code and non-content.
 */
function removeCodeFor(profile: SiteProfile | null, root: ParentNode): void {
  if (profile === null) removeCodeAndNonContent(root);
  else removeCode(root);
}

/**
 * Step 4 (non-content already gone when there is no profile: see {@link removeCodeFor}); returns
 * the text stats of the cleaned page.
 */
function cleanDocument($: CheerioAPI, root: ParentNode, profile: SiteProfile | null): StatsMap {
  if (profile !== null) {
    for (const selector of profile.remove) $(selector).remove();
    removeNonContent(root);
  }
  return removeChrome(root);
}

/** Step 5: the profile's body when it matches, else the generic scorer's. */
function bodyParagraphs($: CheerioAPI, root: ParentNode, profile: SiteProfile | null, stats: StatsMap): string[] {
  if (profile !== null) {
    for (const selector of profile.selectors.body) {
      const elements = $(selector).toArray().filter(isElement) as Element[];
      const paragraphs = renderParagraphs(elements, stats);
      if (paragraphs.length > 0) return paragraphs;
    }
  }
  const body = findFirst(root, 'body');
  const content = findMainContent(root, body, stats);
  return renderParagraphs(content, stats);
}

/** Tokens for comparing two texts' coverage (the benchmark's \w+). */
const TOKEN = /[\p{L}\p{N}_]+/gu;

/**
 * Step 5b: the JSON-LD articleBody replaces the DOM body when it is substantial and the DOM body
 * misses most of it (pages that render the article with JavaScript). When the DOM body covers
 * it, the DOM wins: it keeps paragraphs and subheads, which JSON-LD often flattens.
 */
function preferCompleteJsonLdBody(paragraphs: string[], ldBody: string | null): string[] {
  if (ldBody === null || ldBody.length < JSON_LD_BODY_MIN_CHARS) return paragraphs;
  const ldParagraphs = ldBody
    .replace(/<[^>]*>/g, ' ')
    .split(/\n\s*\n|\r?\n|<br\s*\/?>/)
    .map(foldSpace)
    .filter((p) => p !== '');
  const domTokens = new Set(paragraphs.join(' ').match(TOKEN) ?? []);
  const ldTokens = ldParagraphs.join(' ').match(TOKEN) ?? [];
  if (ldTokens.length === 0) return paragraphs;
  const covered = ldTokens.filter((t) => domTokens.has(t)).length / ldTokens.length;
  return covered < JSON_LD_BODY_MIN_COVERAGE ? ldParagraphs : paragraphs;
}

function profilePatterns(profile: SiteProfile | null): RegExp[] {
  return profile === null ? [] : compileLinePatterns(profile.boilerplatePatterns);
}

/** Step 6. */
function assemble(parts: {
  options: ExtractOptions;
  metadata: PageMetadata;
  dates: PageDates;
  profile: SiteProfile | null;
  title: string | null;
  text: string;
  credit: string | null;
}): Article {
  const { options, metadata, dates, profile, title, text, credit } = parts;
  return buildArticle({
    url: options.url ?? null,
    canonicalUrl: metadata.canonicalUrl,
    site: metadata.site,
    title: capLength(title, MAX_TITLE_CHARS),
    authors: metadata.authors,
    description: capLength(metadata.description, MAX_DESCRIPTION_CHARS),
    ...dates,
    retrievedAt: options.retrievedAt ?? null,
    credit,
    language: metadata.language ?? profile?.language ?? detectLanguage(text),
    text,
    extractor: profile === null ? GENERIC_EXTRACTOR : `profile:${profile.name}@${profile.version}`,
  });
}

/** The article of a page with no text: what is known from the options alone. */
export function emptyArticle(options: ExtractOptions): Article {
  return emptyArticleOf(GENERIC_EXTRACTOR, options);
}
