/**
 * The publication and modification dates of a page.
 *
 * Steps:
 *   1. machine-readable candidates: JSON-LD, meta tags, itemprop, <time datetime>, data-date;
 *   2. visible candidates: text lines scored by their label, their element and their distance
 *      from the headline (dates in comments, related lists, footers and "today" boxes lose);
 *      a date in the headline or <title>;
 *   3. the URL's date (from the given URL, else the canonical URL, else where a redirect stub
 *      points);
 *   4. pick (`best`): the strongest rank (RANK); within it the day most candidates agree on,
 *      then the day under the headline, then the earliest (the original, not an edit);
 *   5. fall back to the modification date, then to the date written most often anywhere in
 *      the markup (when one day clearly stands out);
 *   6. a UTC stamp is shown in the publisher's local time when the page gives that too, or in
 *      the one time zone the page's scripts declare.
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { parseDateText, type NormalizedDate } from './date-text.ts';
import { formatOffset, isKnownTimeZone, zoneOffsetAt } from './time-zone.ts';
import { attributeOf, DATE_ATTRIBUTES, indexPage, textOf, type PageIndex } from './page-index.ts';
import type { PageLine } from './page-lines.ts';
import { dateFromUrl } from './url-date.ts';

export interface PublicationDateOptions {
  url?: string | null;
  timeZone?: string | null;
  dayFirst?: boolean | null;
  now: Date;
}

export interface PublicationDates {
  published: NormalizedDate | null;
  modified: NormalizedDate | null;
}

// ---------------------------------------------------------------------------------------------
// Where dates are written, and how much each place is trusted

/** Source strength: lower wins. Named so the order of trust reads in one place. */
const RANK = {
  /** JSON-LD datePublished of an Article-like item; article:published_time and its kin. */
  articleMetadata: 1,
  /** itemprop=datePublished in the body; <time pubdate> or <time class="published">. */
  markedElement: 2,
  /** Dates of a WebPage/WebSite item in JSON-LD; generic meta names ("date", "dc.date"). */
  genericMetadata: 3,
  /** A visible text line that scored well. */
  visibleText: 4,
  /** A date in the headline or the document title ("Bericht zur Lage vom 22.04.2020"). */
  title: 5,
  /** The day in the page's URL. */
  url: 6,
  /** Any <time datetime> element outside page furniture. */
  anyTimeElement: 7,
  /** The most frequent date anywhere in the markup (scripts, attributes): the last resort. */
  pageWide: 10,
} as const;

/** meta name/property/itemprop values (lowercase) of the original publication date. */
const PUBLISHED_META = new Set([
  'article:published_time', 'article:published', 'og:published_time', 'og:article:published_time',
  'article.published', 'published_time', 'published-date', 'publish-date', 'publish_date', 'publishdate',
  'pubdate', 'datepublished', 'date.published', 'dc.date.issued', 'dcterms.issued', 'dc.date.created',
  'dcterms.created', 'citation_publication_date', 'citation_date', 'sailthru.date', 'parsely-pub-date',
  'rnews:datepublished', 'article_date_original', 'original-publish-date', 'cxenseparse:recs:publishtime',
  'release_date', 'article.created', 'datecreated', 'dc.created', 'bt:pubdate', 'pub_date',
  'publication_date', 'story_publish_date', 'og:pubdate', 'article:post_date', 'displaydate',
  'shareaholic:article_published_time', 'vr:published_time', 'analyticsattributes.articledate',
  'parsely-pub-date', 'ga_pubdate', 'article.published_time', 'published', 'firstpublishedtime', 'uploaddate',
]);
/** Generic meta names that usually, not always, mean the publication date. */
const GENERIC_META = new Set(['creation_date', 'date', 'dc.date', 'dcterms.date', 'dc:date', 'created', 'issued', 'citation_online_date', 'last-publish-date', 'timestamp']);
/** meta values of the modification date. */
const MODIFIED_META = new Set([
  'article:modified_time', 'article:modified', 'og:updated_time', 'og:modified_time', 'article.updated',
  'modified_time', 'datemodified', 'dc.date.modified', 'dcterms.modified', 'last-modified', 'lastmod',
  'dc.modified', 'updated_time', 'article:updated_time', 'shareaholic:article_modified_time', 'lastmodified',
  'revised', 'eomportal-lastupdate',
]);
/** JSON-LD types whose dates are the article's own (a WebPage or WebSite date is weaker). */
const ARTICLE_TYPES = /article|posting|report|news|blog|review|video|recipe|podcast|event|product/i;
/**
 * Microdata media items: the page's own item at the top, a part of it (its video) when nested
 * in an article item. (Other nested microdata items are kept: Blog > BlogPosting is common.)
 */
const MEDIA_TYPES = /(?:video|audio|image|media)object|clip/i;
/** JSON-LD keys under which other items' dates live (comments, authors, related items). */
const JSON_LD_SKIPPED = new Set(['publisher', 'author', 'creator', 'comment', 'review', 'hasPart', 'isPartOf', 'itemListElement', 'mentions', 'citation', 'subjectOf']);

/** class/id words marking an element that holds the article's date or byline. */
const DATE_MARK = /date|datum|time|fecha|data|publi|posted|byline|meta|dateline|autor|author|info|stand|zeit|tarikh|تاریخ|article-header|entry-header|post-header/i;
/** class/id words of dates that are not the article's: today's date, clocks, archives. */
const NOT_ARTICLE_DATE_MARK = /today|current|clock|weather|copyright|calendar|archive|datepicker|header-top|topbar|top-bar/i;
/**
 * Words (class and id names split at "-", "_" and camel case) of page furniture whose dates
 * belong to other items: comments, related links, sidebars, footers, teasers.
 */
const BOILERPLATE_WORDS = new Set([
  'comment', 'comments', 'kommentar', 'kommentare', 'related', 'sidebar', 'widget', 'widgets', 'teaser', 'teasers',
  'recommend', 'recommended', 'recommendations', 'popular', 'footer', 'nav', 'navbar', 'navigation', 'menu',
  'latest', 'trending', 'newsletter', 'promo', 'breadcrumb', 'breadcrumbs', 'share', 'sharing', 'social',
  'cookie', 'cookies', 'banner', 'carousel', 'slider', 'ticker', 'aside', 'sidebar1', 'sidebar2', 'outbrain',
  'taboola', 'more', 'mostread', 'ads', 'advert', 'advertisement', 'reply', 'replies', 'archive', 'archives',
]);
const BOILERPLATE_TAGS = new Set(['footer', 'nav', 'aside']);
/** Where the article itself starts: the search for furniture stops at these tags and words. */
const ARTICLE_TAGS = new Set(['article', 'main', 'body', 'html']);
const ARTICLE_WORDS = new Set(['article', 'main', 'content', 'story', 'entry']);
const MODIFIED_MARK = /updated|modified|aktualisiert|geändert|mis à jour|actualizado|atualizado|بروزرسانی|به‌روزرسانی|تحديث|last edit/i;
/** Labels in front of a publication date. */
const PUBLISHED_LABEL = /publi|posted|veröffentlicht|erschienen|datum|date|fecha|data|created|erstellt|written|on\s*$|am\s*$|von|by|تاریخ|انتشار|نشر|منتشر/i;

/** A line much longer than its date is prose that mentions a date, not a date line. */
const MAX_DATE_LINE_LENGTH = 160;
/** Lines this far (in lines) from the headline still count as "near" it. */
const NEAR_TITLE_LINES = 25;
/** Minimum score for a visible line to be a candidate. */
const MIN_LINE_SCORE = 3;
/** Characters before a date searched for its label ("Veröffentlicht am"). */
const LABEL_WINDOW = 30;
/** Largest UTC offset in use (Kiribati, +14:00). */
const MAX_OFFSET_MINUTES = 14 * 60;
/** A marked-element source with this many different days is a list of other items' dates. */
const LISTING_DISTINCT_DAYS = 3;
/** How many ancestors to look through for class/id marks. */
const ANCESTOR_DEPTH = 5;

export interface Candidate {
  date: NormalizedDate;
  rank: number;
  /** Within a rank, higher wins before the earliest-day rule (visible lines only). */
  score: number;
  /** Document order, for a stable choice. */
  order: number;
}

// ---------------------------------------------------------------------------------------------
// 1. Machine-readable candidates

interface MachineDates {
  published: Candidate[];
  modified: Candidate[];
}

function addParsed(list: Candidate[], value: string | undefined | null, rank: number, options: PublicationDateOptions, score = 0): void {
  if (!value) return;
  const date = parseDateText(value, options);
  if (date) list.push({ date, rank, score, order: list.length });
}

/**
 * Where a JSON-LD item sits: at the top (or in @graph), inside an article-like item (a part
 * of it: its video, its image), or inside some other item (a WebPage's mainEntity).
 */
type JsonLdPlace = 'top' | 'inArticle' | 'inOther';

function walkJsonLd(node: unknown, out: MachineDates, options: PublicationDateOptions, place: JsonLdPlace): void {
  if (Array.isArray(node)) {
    for (const item of node) walkJsonLd(item, out, options, place);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const type = obj['@type'];
  const typeText = Array.isArray(type) ? type.join(' ') : typeof type === 'string' ? type : '';
  // An untyped object continues its parent. A typed item inside an article is a part of it or
  // about it (its video, its readers' reviews): its dates are its own, not the article's.
  const isArticle = typeText ? ARTICLE_TYPES.test(typeText) : place === 'inArticle';
  const isPart = typeText !== '' && place === 'inArticle';
  const rank = isArticle && !isPart ? RANK.articleMetadata : RANK.genericMetadata;
  const inner: JsonLdPlace = typeText ? (isArticle ? 'inArticle' : 'inOther') : place;
  for (const [key, value] of Object.entries(obj)) {
    const k = key.toLowerCase();
    if (typeof value === 'string') {
      if (k === 'datepublished' || k === 'datecreated' || k === 'uploaddate') addParsed(out.published, value, rank, options);
      else if (k === 'datemodified') addParsed(out.modified, value, rank, options);
    } else if (!JSON_LD_SKIPPED.has(key)) {
      walkJsonLd(value, out, options, key === '@graph' ? place : inner);
    }
  }
}

function collectJsonLd(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  for (const el of index.jsonLdScripts) {
    const text = textOf(el).trim();
    if (!text) continue;
    try {
      walkJsonLd(JSON.parse(text), out, options, 'top');
    } catch {
      // Broken JSON-LD is common (trailing commas, raw newlines): read the dates out directly.
      for (const m of text.matchAll(/"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]+)"/g)) {
        addParsed(m[1] === 'dateModified' ? out.modified : out.published, m[2], RANK.genericMetadata, options);
      }
    }
  }
}

function collectMeta(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  for (const el of index.metas) {
    const a = el.attribs;
    const key = (a['property'] ?? a['name'] ?? a['itemprop'] ?? a['http-equiv'] ?? '').toLowerCase().trim();
    const value = a['content'] ?? a['datetime'] ?? a['value'];
    if (!key || !value) continue;
    if (a['itemprop'] !== undefined && isPartOfArticleItem(el)) {
      // Microdata of a part of the article (its video, its image): that part's dates.
      if (PUBLISHED_META.has(key)) addParsed(out.published, value, RANK.genericMetadata, options);
      else if (MODIFIED_META.has(key)) addParsed(out.modified, value, RANK.genericMetadata, options);
      continue;
    }
    if (PUBLISHED_META.has(key)) addParsed(out.published, value, RANK.articleMetadata, options);
    else if (GENERIC_META.has(key)) addParsed(out.published, value, RANK.genericMetadata, options);
    else if (MODIFIED_META.has(key)) addParsed(out.modified, value, RANK.articleMetadata, options);
  }
}

/** The nearest microdata item (itemscope) holding `el`, or null. */
function itemScopeOf(el: Element): Element | null {
  for (let node = el.parent; node && node.type === 'tag'; node = node.parent) {
    if (node.attribs['itemscope'] !== undefined) return node;
  }
  return null;
}

/** True when `el`'s microdata item is a media item nested in an article-like item (a part of it). */
function isPartOfArticleItem(el: Element): boolean {
  const scope = itemScopeOf(el);
  if (!scope || !MEDIA_TYPES.test(scope.attribs['itemtype'] ?? '')) return false;
  for (let outer = itemScopeOf(scope); outer; outer = itemScopeOf(outer)) {
    if (ARTICLE_TYPES.test(outer.attribs['itemtype'] ?? '')) return true;
  }
  return false;
}

function marksOf(el: Element | null, depth: number): string {
  let marks = '';
  let node: Element | null = el;
  for (let i = 0; i < depth && node && node.type === 'tag'; i++) {
    marks += ` ${node.name} ${node.attribs['class'] ?? ''} ${node.attribs['id'] ?? ''} ${node.attribs['itemprop'] ?? ''}`;
    node = node.parent && node.parent.type === 'tag' ? node.parent : null;
  }
  return marks;
}

function collectMarkedElements(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  const marked: MachineDates = { published: [], modified: [] };
  for (const el of index.itemprops) {
    if (el.name === 'meta' || isBoilerplate(el)) continue;
    const prop = (el.attribs['itemprop'] ?? '').toLowerCase();
    const value = el.attribs['datetime'] ?? el.attribs['content'] ?? textOf(el);
    if (prop === 'datepublished' || prop === 'datecreated') addParsed(marked.published, value, RANK.markedElement, options);
    else if (prop === 'datemodified') addParsed(marked.modified, value, RANK.markedElement, options);
  }
  const furniture: Candidate[] = [];
  for (const el of index.timeElements) {
    const value = el.attribs['datetime'] ?? el.attribs['title'] ?? textOf(el);
    if (isBoilerplate(el)) {
      addParsed(furniture, value, RANK.anyTimeElement, options);
      continue;
    }
    const marks = marksOf(el, 2);
    if (MODIFIED_MARK.test(marks) || /updated/.test(el.attribs['class'] ?? '')) {
      addParsed(marked.modified, value, RANK.markedElement, options);
    } else if (el.attribs['pubdate'] !== undefined || /publish|entry-date|post-date|article-date|created/i.test(marks)) {
      addParsed(marked.published, value, RANK.markedElement, options);
    } else if (!NOT_ARTICLE_DATE_MARK.test(marks)) {
      addParsed(out.published, value, RANK.anyTimeElement, options);
    }
  }
  // Furniture times that all agree are probably this page's own teaser (right 5 times in 8 on
  // the dev pages). Times that disagree are other articles' (the most frequent or the earliest
  // of them was right once in 7): they are dropped, and the page may get no date at all.
  if (new Set(furniture.map(dayOf)).size === 1) out.published.push(...furniture);
  // Many different days under the same marks: a list of other articles, not this one's date.
  for (const key of ['published', 'modified'] as const) {
    const days = new Set(marked[key].map(dayOf));
    const listing = days.size >= LISTING_DISTINCT_DAYS;
    for (const c of marked[key]) out[key].push(listing ? { ...c, rank: RANK.anyTimeElement } : c);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. Visible text lines

function classWords(el: Element): string[] {
  const { class: cls, id } = el.attribs;
  if (cls === undefined && id === undefined) return [];
  return `${cls ?? ''} ${id ?? ''}`
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** True when the element sits in page furniture (below the article or main element). */
function isBoilerplate(el: Element | null): boolean {
  for (let node: Element | null = el; node && node.type === 'tag'; node = node.parent && node.parent.type === 'tag' ? node.parent : null) {
    if (ARTICLE_TAGS.has(node.name)) return false;
    if (BOILERPLATE_TAGS.has(node.name)) return true;
    const words = classWords(node);
    if (words.some((w) => BOILERPLATE_WORDS.has(w))) return true;
    if (words.some((w) => ARTICLE_WORDS.has(w))) return false;
  }
  return false;
}

/** Index of the headline's line: the first <h1>, else the first heading. */
function titleLineIndex(lines: readonly PageLine[]): number | null {
  for (const tag of ['h1', 'h2']) {
    const line = lines.find((l) => l.block?.name === tag);
    if (line) return line.index;
  }
  return null;
}

function scoreLine(line: PageLine, date: NormalizedDate, titleIndex: number | null): number {
  let score = 0;
  const marks = `${marksOf(line.first, ANCESTOR_DEPTH)} ${marksOf(line.block, 2)}`;
  if (DATE_MARK.test(marks)) score += 3;
  if (line.first?.name === 'time') score += 2;
  const before = line.text.slice(0, Math.max(0, line.text.indexOf(date.raw)));
  if (PUBLISHED_LABEL.test(before.slice(-LABEL_WINDOW))) score += 2;
  // A line that is mostly the date itself.
  if (line.text.length <= date.raw.length + 45) score += 2;
  if (titleIndex !== null) {
    const distance = Math.abs(line.index - titleIndex);
    if (distance <= NEAR_TITLE_LINES) score += 3 - Math.floor((distance * 3) / (NEAR_TITLE_LINES + 1));
    else score -= 1;
  }
  if (isBoilerplate(line.first ?? line.block)) score -= 6;
  if (NOT_ARTICLE_DATE_MARK.test(marks)) score -= 6;
  return score;
}

function collectVisible(lines: readonly PageLine[], options: PublicationDateOptions): MachineDates {
  const out: MachineDates = { published: [], modified: [] };
  const titleIndex = titleLineIndex(lines);
  for (const line of lines) {
    if (line.text.length > MAX_DATE_LINE_LENGTH || !/\d/.test(line.text)) continue;
    const date = parseDateText(line.text, options);
    if (!date) continue;
    const score = scoreLine(line, date, titleIndex);
    if (score < MIN_LINE_SCORE) continue;
    const target = MODIFIED_MARK.test(line.text) || MODIFIED_MARK.test(marksOf(line.first, 2)) ? out.modified : out.published;
    target.push({ date, rank: RANK.visibleText, score, order: line.index });
  }
  return out;
}

function collectTitles(index: PageIndex, out: Candidate[], options: PublicationDateOptions): void {
  const titles = [index.h1 ? textOf(index.h1) : '', index.title ? textOf(index.title) : '', attributeOf(index.ogTitle, 'content')];
  for (const t of titles) addParsed(out, t, RANK.title, options);
}

/** Dates in attributes some sites put the article's date in (data-date="18. März 2020"). */
function collectDateAttributes(index: PageIndex, out: Candidate[], options: PublicationDateOptions): void {
  for (const el of index.dateAttributeElements) {
    if (el.type !== 'tag' || el.name === 'time' || isBoilerplate(el)) continue;
    for (const a of DATE_ATTRIBUTES) addParsed(out, el.attribs[a], RANK.anyTimeElement, options);
  }
}

/** Full numeric dates anywhere in the markup: 2020-04-17, 2020/04/17, 17.04.2020. */
const PAGE_WIDE_DATE = /(?<![\d.\/])(?:(?:19|20)\d{2}[-/](?:0[1-9]|1[0-2])[-/](?:0[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)\d{2})(?![\d.\/-]?\d)/g;
/** Markup longer than this is only searched in its first part (time, not accuracy). */
const PAGE_WIDE_MAX_CHARS = 2_000_000;

/**
 * The day written most often in the page's markup, or null when no day stands out (two days
 * written equally often are a list of other items' dates, and a coin toss between them is
 * more often wrong than right).
 */
function mostFrequentDate($: CheerioAPI, options: PublicationDateOptions): Candidate | null {
  const html = ($.html() ?? '').slice(0, PAGE_WIDE_MAX_CHARS);
  const counts = new Map<string, { date: NormalizedDate; n: number }>();
  for (const m of html.matchAll(PAGE_WIDE_DATE)) {
    const date = parseDateText(m[0], { ...options, dayFirst: true });
    if (!date) continue;
    const entry = counts.get(date.value) ?? { date, n: 0 };
    entry.n += 1;
    counts.set(date.value, entry);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
  const [top, second] = ranked;
  if (!top || (second && second.n === top.n)) return null;
  return { date: top.date, rank: RANK.pageWide, score: 0, order: 0 };
}

// ---------------------------------------------------------------------------------------------
// 3. URL, and 4. the choice

/** Less visible text than this: an interstitial (a redirect, a bot check), not an article. */
const STUB_TEXT_CHARS = 500;
/** Where a script sends the reader: location.href = "…", location.replace("…"). */
const SCRIPT_REDIRECT = /location(?:\.href)?\s*=\s*(["'])(https?:\/\/[^"']+)\1|location\.(?:replace|assign)\(\s*(["'])(https?:\/\/[^"']+)\3/;
/** The target of <meta http-equiv="refresh" content="0; url=…">. */
const REFRESH_TARGET = /url\s*=\s*['"]?([^'"\s]+)/i;

/**
 * Where an interstitial page (little visible text) sends the reader: the article's own URL,
 * whose date the stub stands for. Null on a real page, whose scripts redirect to anything.
 */
function redirectTarget(index: PageIndex): string | null {
  const textChars = index.lines.reduce((n, l) => n + l.text.length, 0);
  if (textChars >= STUB_TEXT_CHARS) return null;
  const refresh = attributeOf(index.refresh, 'content');
  const fromMeta = refresh ? REFRESH_TARGET.exec(refresh)?.[1] : undefined;
  if (fromMeta) return fromMeta;
  for (const el of index.inlineScripts) {
    const m = SCRIPT_REDIRECT.exec(textOf(el));
    if (m) return m[2] ?? m[4] ?? null;
  }
  return null;
}

/** The page's URL: the one given, else its canonical URL, else where a redirect stub points. */
function pageUrl(index: PageIndex, given: string | null | undefined): string | null {
  if (given) return given;
  return attributeOf(index.canonical, 'href') ?? attributeOf(index.ogUrl, 'content') ?? redirectTarget(index);
}

function dayOf(c: Candidate): string {
  return c.date.value.slice(0, 10);
}

/** The best visible line: the highest score, then the first in the document. */
function bestLine(lines: readonly Candidate[]): Candidate | null {
  if (lines.length === 0) return null;
  return lines.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.order < a.order) ? b : a));
}

/**
 * The strongest rank wins. Among machine-readable candidates of that rank: the day most of
 * them agree on; then the day of the best visible line (what a reader sees under the
 * headline); then the day most candidates of any rank agree on (`support`); then the earliest
 * day (the original publication, not an edit).
 */
function best(candidates: readonly Candidate[], support: readonly Candidate[]): Candidate | null {
  if (candidates.length === 0) return null;
  const topRank = Math.min(...candidates.map((c) => c.rank));
  const top = candidates.filter((c) => c.rank === topRank);
  if (topRank === RANK.visibleText) return bestLine(top);
  const count = (list: readonly Candidate[]): Map<string, number> => {
    const votes = new Map<string, number>();
    for (const c of list) votes.set(dayOf(c), (votes.get(dayOf(c)) ?? 0) + 1);
    return votes;
  };
  const votes = count(top);
  const allVotes = count(support);
  const seen = bestLine(support.filter((c) => c.rank === RANK.visibleText));
  const seenDay = seen ? dayOf(seen) : null;
  return top.reduce((a, b) => {
    const [da, db] = [dayOf(a), dayOf(b)];
    if (votes.get(db) !== votes.get(da)) return (votes.get(db) ?? 0) > (votes.get(da) ?? 0) ? b : a;
    if (seenDay !== null && (da === seenDay) !== (db === seenDay)) return db === seenDay ? b : a;
    if (allVotes.get(db) !== allVotes.get(da)) return (allVotes.get(db) ?? 0) > (allVotes.get(da) ?? 0) ? b : a;
    if (db !== da) return db < da ? b : a;
    // Same day: the one that says more (a time and an offset).
    return b.date.value.length > a.date.value.length ? b : a;
  });
}

/** "+00:00" or "Z": a machine UTC stamp rather than the publisher's local time. */
function isUtcStamp(d: NormalizedDate): boolean {
  return d.utc !== null && d.value.endsWith('+00:00');
}

/** Minutes and seconds of a value with a time ("…T17:49:09…"), else null. */
function minuteSecond(d: NormalizedDate): string | null {
  return /T\d{2}:(\d{2}:\d{2})/.exec(d.value)?.[1] ?? null;
}

/**
 * A UTC stamp re-expressed in the publisher's local time when another machine-readable
 * candidate gives the same instant in local time: one with an offset, or one without whose
 * wall time differs from the UTC one by a whole number of quarter hours (the page's own zone,
 * then, is known).
 */
function inPublisherTime(chosen: NormalizedDate, all: readonly Candidate[]): NormalizedDate {
  if (!isUtcStamp(chosen) || chosen.utc === null) return chosen;
  const utcMs = Date.parse(chosen.utc);
  const ms = minuteSecond(chosen);
  for (const { date, rank } of all) {
    if (rank > RANK.genericMetadata) continue; // visible text is read by people, in their zone
    if (date === chosen || isUtcStamp(date) || minuteSecond(date) !== ms) continue;
    if (date.utc !== null) {
      if (Date.parse(date.utc) === utcMs) return date;
      continue;
    }
    const wallMs = Date.parse(`${date.value}Z`);
    const offsetMinutes = (wallMs - utcMs) / 60_000;
    if (Number.isInteger(offsetMinutes / 15) && Math.abs(offsetMinutes) <= MAX_OFFSET_MINUTES && offsetMinutes !== 0) {
      return { ...date, value: `${date.value}${formatOffset(offsetMinutes)}`, utc: chosen.utc };
    }
  }
  return chosen;
}

/**
 * A site time zone that the page's scripts declare ("timezone":"America/New_York",
 * "timezone_string":"Europe/Berlin", "timeZone":{"short":"ET","long":"America/New_York"}).
 * Only region/city names: "UTC" or an abbreviation says nothing about the publisher.
 */
const DECLARED_ZONE =
  /["'](?:time_?zone(?:_?string|_?name|_?id)?|tz)["']\s*:\s*(?:\{[^{}]{0,80}?)?["']((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z_]+(?:\/[A-Za-z_]+)?)["']/gi;

/** The one IANA zone the page's scripts declare, or null (none, several, or unknown). */
function declaredTimeZone(index: PageIndex): string | null {
  const zones = new Set<string>();
  for (const el of index.inlineScripts) {
    for (const m of textOf(el).matchAll(DECLARED_ZONE)) if (m[1]) zones.add(m[1]);
  }
  const [zone] = zones;
  return zones.size === 1 && zone && isKnownTimeZone(zone) ? zone : null;
}

/** A UTC stamp shown in `zone`: same instant, the publisher's wall time and offset. */
function inZone(d: NormalizedDate, zone: string): NormalizedDate {
  if (d.utc === null) return d;
  const utcMs = Date.parse(d.utc);
  const offset = zoneOffsetAt(zone, utcMs);
  const wall = new Date(utcMs + offset * 60_000).toISOString().slice(0, 19);
  return { ...d, value: `${wall}${formatOffset(offset)}` };
}

/** Every candidate found, before the choice (for debugging and tests). */
export interface DateCandidates {
  published: Candidate[];
  modified: Candidate[];
}

/**
 * Gather the candidates of steps 1-3. `index` is the document's {@link PageIndex}; pass it when
 * the caller has one (it is built otherwise).
 */
export function collectDateCandidates($: CheerioAPI, options: PublicationDateOptions, index: PageIndex = indexPage($)): DateCandidates {
  const machine: MachineDates = { published: [], modified: [] };
  collectJsonLd(index, machine, options);
  collectMeta(index, machine, options);
  collectMarkedElements(index, machine, options);
  const visible = collectVisible(index.lines, options);

  const published = [...machine.published, ...visible.published];
  collectTitles(index, published, options);
  collectDateAttributes(index, published, options);
  const url = pageUrl(index, options.url);
  const urlDate = url ? dateFromUrl(url, options) : null;
  if (urlDate) published.push({ date: urlDate, rank: RANK.url, score: 0, order: 0 });

  return { published, modified: [...machine.modified, ...visible.modified] };
}

/**
 * The original publication date and the modification date of a page. `index` is the
 * document's {@link PageIndex}, shared with `findStoryCode`; it is built when not given.
 */
export function findPublicationDates($: CheerioAPI, options: PublicationDateOptions, index: PageIndex = indexPage($)): PublicationDates {
  const candidates = collectDateCandidates($, options, index);
  const all = [...candidates.published, ...candidates.modified];
  const modified = best(candidates.modified, all);
  const published = best(candidates.published, all) ?? modified ?? mostFrequentDate($, options);
  const zone = options.timeZone ? null : declaredTimeZone(index);
  const local = (d: NormalizedDate): NormalizedDate => {
    const shown = inPublisherTime(d, all);
    return zone && shown === d && isUtcStamp(d) ? inZone(d, zone) : shown;
  };
  return {
    published: published ? local(published.date) : null,
    modified: modified ? local(modified.date) : null,
  };
}
