/**
 * Page metadata outside the body: title, authors, description, canonical URL, site, declared
 * language, and the JSON-LD article node. Read from the intact document, before cleaning.
 */
import { load } from 'cheerio/slim';
import type { PageIndex } from './page/page-index.ts';
import { canonicalizeUrl, siteOf } from '../url/canonicalize.ts';
import { ARTICLE_LD_TYPES, MAX_TREE_DEPTH, SITE_NAME_MAX_WORDS, TITLE_SEPARATOR } from './boilerplate.ts';
import { foldSpace } from '../normalize/whitespace.ts';
import { type AnyNode, type Element, isElement, textOf } from './page/dom.ts';
import { HTML_LOAD_OPTIONS } from './page/fast-tokenizer.ts';
import { normalizeLanguageTag } from './language.ts';

export interface PageMetadata {
  title: string | null;
  authors: string[];
  description: string | null;
  canonicalUrl: string | null;
  site: string | null;
  language: string | null;
  siteName: string | null;
  /** JSON-LD articleBody, when the page has one. */
  ldArticleBody: string | null;
}

type LdNode = Record<string, unknown>;

/** Longest author name accepted; longer "names" are sentences picked up by mistake. */
const MAX_AUTHOR_CHARS = 80;

/** An HTML character reference: named, decimal or hexadecimal (the semicolon is optional in HTML). */
const CHARACTER_REFERENCE = /&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);?/i;
/** Decoding passes: a JSON-LD headline or a meta content can be encoded twice ("&amp;#8217;"). */
const MAX_DECODING_PASSES = 2;
const LESS_THAN = /</g;

/**
 * Decodes HTML character references left in a metadata value: JSON-LD is script text, which the
 * parser does not decode ("&#8216;They don’t…&#8217;"), and some pages encode attributes twice.
 * The HTML parser does the decoding (every named reference, the legacy rules); a "<" is escaped
 * first so text that looks like a tag stays text.
 */
export function decodeEntities(text: string): string {
  let out = text;
  for (let pass = 0; pass < MAX_DECODING_PASSES && CHARACTER_REFERENCE.test(out); pass++) {
    out = load(out.replace(LESS_THAN, '&lt;'), HTML_LOAD_OPTIONS).root().text();
  }
  return out;
}

function str(value: unknown): string | null {
  if (typeof value === 'string') {
    const folded = foldSpace(decodeEntities(value));
    return folded === '' ? null : folded;
  }
  if (Array.isArray(value)) return str(value[0]);
  return null;
}

/** What the metadata steps read from the page: the page index's elements, or one walk when there is no index. */
interface PageTags {
  /** meta property/name/itemprop (lowercased) → first non-empty content. */
  meta: Map<string, string>;
  title: string | null;
  canonical: string | null;
  lang: string | null;
  contentLanguage: string | null;
  jsonLd: string[];
  /** Texts of the first few <h1>s. */
  headings: string[];
}

/** How many <h1> texts are kept to recognise the headline inside <title>. */
const MAX_HEADINGS = 3;

/** Elements whose content the metadata never reads (htmlparser2 keeps it as raw text anyway). */
function isOpaque(el: Element): boolean {
  return el.name === 'script' || el.name === 'style';
}

/** Reads one element into the tags; elements arrive in document order, so the first one of a kind wins. */
function noteTag(tags: PageTags, el: Element): void {
  const a = el.attribs;
  switch (el.name) {
    case 'meta': {
      const content = a['content'];
      if (content === undefined || content.trim() === '') break;
      for (const key of [a['property'], a['name'], a['itemprop']]) {
        if (key === undefined) continue;
        const k = key.trim().toLowerCase();
        if (!tags.meta.has(k)) tags.meta.set(k, content);
      }
      if (a['http-equiv']?.toLowerCase() === 'content-language') tags.contentLanguage ??= content;
      break;
    }
    case 'title':
      if (tags.title === null && el.parent !== null && (el.parent as Element).name !== 'svg') tags.title = textOf(el);
      break;
    case 'link':
      if (tags.canonical === null && /(?:^|\s)canonical(?:\s|$)/i.test(a['rel'] ?? '')) tags.canonical = a['href'] ?? null;
      break;
    case 'html':
      tags.lang ??= a['lang'] ?? a['xml:lang'] ?? null;
      break;
    case 'script':
      if ((a['type'] ?? '').toLowerCase().includes('ld+json')) tags.jsonLd.push(textOf(el));
      break;
    case 'h1':
      if (tags.headings.length < MAX_HEADINGS) tags.headings.push(foldSpace(textOf(el)));
      break;
  }
}

function emptyTags(): PageTags {
  return { meta: new Map(), title: null, canonical: null, lang: null, contentLanguage: null, jsonLd: [], headings: [] };
}

/**
 * Whether the walk of {@link walkTags} reaches an element: below elements only (no script or
 * style), at most {@link MAX_TREE_DEPTH} levels down.
 */
function reachable(el: Element): boolean {
  let depth = 0;
  for (let node = el.parent; node !== null && node.type !== 'root'; node = node.parent) {
    if (!isElement(node) || isOpaque(node) || ++depth > MAX_TREE_DEPTH) return false;
  }
  return true;
}

/** The tags from the page index's element lists: what {@link walkTags} finds, without walking the tree again. */
function tagsOfIndex(index: PageIndex): PageTags {
  const tags = emptyTags();
  for (const list of [index.htmls, index.metas, index.titles, index.links, index.scripts]) {
    for (const el of list) if (reachable(el)) noteTag(tags, el);
  }
  for (const el of index.h1s) {
    if (tags.headings.length >= MAX_HEADINGS) break;
    if (reachable(el)) noteTag(tags, el);
  }
  return tags;
}

/** The tags from one depth-limited walk (when the page index could not be built). */
function walkTags(root: AnyNode): PageTags {
  const tags = emptyTags();
  const visit = (node: AnyNode, depth: number): void => {
    if (!('children' in node) || depth > MAX_TREE_DEPTH) return;
    for (const child of node.children) {
      if (!isElement(child)) continue;
      noteTag(tags, child);
      if (!isOpaque(child)) visit(child, depth + 1);
    }
  };
  visit(root, 0);
  return tags;
}

/** All JSON-LD nodes of the page, @graph and arrays flattened. */
function readJsonLd(sources: readonly string[]): LdNode[] {
  const nodes: LdNode[] = [];
  const add = (value: unknown, depth: number): void => {
    if (depth > 5 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) add(item, depth + 1);
      return;
    }
    const node = value as LdNode;
    nodes.push(node);
    if (node['@graph'] !== undefined) add(node['@graph'], depth + 1);
  };
  for (const source of sources) {
    try {
      add(JSON.parse(source.trim().replace(/^<!--|-->$/g, '')), 0);
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  }
  return nodes;
}

function ldTypes(node: LdNode): string[] {
  const type = node['@type'];
  const list = Array.isArray(type) ? type : [type];
  return list.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
}

/** The JSON-LD node describing the article (an *Article type before a WebPage). */
function articleNode(nodes: readonly LdNode[]): LdNode | null {
  let page: LdNode | null = null;
  for (const node of nodes) {
    const types = ldTypes(node);
    if (types.some((t) => ARTICLE_LD_TYPES.has(t) && t !== 'webpage')) return node;
    if (types.includes('webpage') && page === null) page = node;
  }
  return page;
}

function ldNames(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(ldNames);
  if (typeof value === 'object') return ldNames((value as LdNode)['name']);
  return [];
}

function meta(tags: PageTags, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = str(tags.meta.get(key));
    if (value !== null) return value;
  }
  return null;
}

function resolve(href: string | null | undefined, base: string | null): string | null {
  if (href === null || href === undefined || href.trim() === '') return null;
  try {
    return new URL(href.trim(), base ?? undefined).href;
  } catch {
    return null;
  }
}

function safeCanonical(url: string | null): string | null {
  if (url === null) return null;
  try {
    return canonicalizeUrl(url);
  } catch {
    return null;
  }
}

export function safeSite(url: string | null): string | null {
  if (url === null) return null;
  try {
    return siteOf(url);
  } catch {
    return null;
  }
}

/** Letters and digits only, lowercased: "The Iran Project" and "theiranproject.com" meet as "theiranproject". */
function squash(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => w !== '').length;
}

/** Whether a title segment names the site: its name, or its host squashed ("The Iran Project" on theiranproject.com). */
function namesSite(segment: string, siteName: string | null, site: string | null): boolean {
  const squashed = squash(segment);
  if (squashed === '') return false;
  if (siteName !== null && squashed === squash(siteName)) return true;
  if (site !== null) {
    const label = squash(site.split('.').slice(0, -1).join('.') || site);
    if (label !== '' && (squashed === label || (squashed.length >= 4 && label.includes(squashed)))) return true;
  }
  return false;
}

/**
 * The headline without the site name: a page heading contained in the title wins; else a
 * leading or trailing segment that names the site is cut; else a short trailing segment next to
 * a longer headline is taken for the site name ("Headline | Site").
 */
export function cleanTitle(raw: string, headings: readonly string[], siteName: string | null, site: string | null = null): string {
  const title = foldSpace(raw);
  const separators = [...title.matchAll(new RegExp(TITLE_SEPARATOR.source, 'g'))];
  const first = separators[0];
  const last = separators[separators.length - 1];
  if (first === undefined || last === undefined) return title;
  for (const heading of headings) {
    if (heading !== '' && title !== heading && title.includes(heading) && heading.length >= title.length / 3) return heading;
  }
  const prefix = title.slice(0, first.index);
  const afterPrefix = title.slice(first.index + first[0].length);
  const suffix = title.slice(last.index + last[0].length);
  const beforeSuffix = title.slice(0, last.index);
  if (namesSite(suffix, siteName, site)) return beforeSuffix.trim();
  if (namesSite(prefix, siteName, site)) return afterPrefix.trim();
  if (wordCount(suffix) <= SITE_NAME_MAX_WORDS && wordCount(beforeSuffix) > wordCount(suffix)) return beforeSuffix.trim();
  return title;
}

/**
 * The page's metadata. `index` is the page's {@link PageIndex} (shared with the date and code
 * steps), or null when it could not be built; the tree is then walked once here.
 */
export function readMetadata(root: AnyNode, url: string | null, index: PageIndex | null): PageMetadata {
  const tags = index === null ? walkTags(root) : tagsOfIndex(index);
  const article = articleNode(readJsonLd(tags.jsonLd));
  const publisher = article?.['publisher'];
  const siteName = meta(tags, 'og:site_name', 'application-name') ?? str(ldNames(publisher)[0]) ?? null;
  const headings = tags.headings;

  const rawTitle =
    str(article?.['headline']) ?? meta(tags, 'og:title', 'twitter:title') ?? str(tags.title) ?? headings[0] ?? null;
  const site = safeSite(url);
  const title = rawTitle === null ? null : cleanTitle(rawTitle, headings, siteName, site);

  const authors = cleanAuthors(
    [
      ...ldNames(article?.['author']),
      ...(meta(tags, 'author', 'article:author', 'dc.creator', 'sailthru.author') ?? '').split(/\s*(?:,|\band\b|&)\s*/),
    ],
    { siteName, site },
  );

  const canonicalHref = resolve(tags.canonical, url) ?? resolve(meta(tags, 'og:url'), url);
  const canonicalUrl = safeCanonical(canonicalHref) ?? safeCanonical(url);
  const language =
    normalizeLanguageTag(tags.lang) ??
    normalizeLanguageTag(tags.contentLanguage) ??
    normalizeLanguageTag(str(article?.['inLanguage'])) ??
    normalizeLanguageTag(meta(tags, 'og:locale'));

  return {
    title,
    authors,
    description: meta(tags, 'description', 'og:description', 'twitter:description') ?? str(article?.['description']),
    canonicalUrl,
    site: site ?? safeSite(canonicalUrl),
    language,
    siteName,
    ldArticleBody: typeof article?.['articleBody'] === 'string' ? decodeEntities(article['articleBody'] as string) : null,
  };
}

// ─── Authors ────────────────────────────────────────────────────────────────────────────────

/** Author "names" that are roles or placeholders, not people (compared lowercased). */
const NOT_A_PERSON: ReadonlySet<string> = new Set([
  'publisher', 'admin', 'administrator', 'editor', 'editors', 'editorial', 'editorial staff', 'editorial team', 'staff',
  'staff writer', 'staff reporter', 'newsroom', 'news desk', 'newsdesk', 'web desk', 'desk', 'team', 'guest', 'guest author',
  'anonymous', 'unknown', 'author', 'authors', 'webmaster', 'null', 'undefined', 'none', 'n/a', 'redaktion', 'die redaktion',
  'online-redaktion', 'onlineredaktion', 'red.', 'gastautor', 'gastautorin', 'rédaction', 'la rédaction', 'redacción',
  'redazione', 'redactie', 'redakcja', 'تحریریه', 'التحرير',
]);

/**
 * An organisation rather than a person: a company form (GmbH, AG, Ltd, Inc, LLC, S.A., e.V., …),
 * a publishing word ("Media", "Verlag", "Press", "News", "Group"), or a web address.
 */
const ORGANISATION =
  /(?:^|\s)(?:GmbH|AG|KG|KGaA|SE|e\.\s?V\.|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?|Corp\.?|Corporation|Co\.|S\.A\.?|S\.L\.|SAS|SARL|S\.p\.A\.|B\.V\.|N\.V\.|Oy|AB|plc|PLC|Verlag|Media|Medien|Group|Gruppe|Holding|Press|News|Network|Agency|Agentur|Redaktion|Newsroom)(?:$|[\s,])|\.(?:com|net|org|de|co\.uk|fr|es|it|at|ch|ir|info)\b|^https?:|^www\./i;

/** "By Jane Doe" and "Von Max Muster": the byline word is not part of the name. */
const BYLINE_PREFIX = /^(?:by|von|par|por|di|door|przez|автор)\s+/i;

/** A middle initial ("L." in "Troy L. Smith"): left out when comparing two names. */
const INITIAL = /^\p{Lu}\.?$/u;

/** The name without an affiliation after a comma that names an organisation or the site ("Troy L. Smith, Cleveland.com"). */
function withoutAffiliation(name: string, siteName: string | null, site: string | null): string {
  const comma = name.indexOf(',');
  if (comma < 0) return name;
  const affiliation = name.slice(comma + 1).trim();
  if (affiliation === '' || ORGANISATION.test(affiliation) || isTheSite(affiliation, siteName, site)) return name.slice(0, comma).trim();
  return name;
}

/** Whether a name is the site's own (its name, or its host without the suffix): exact, unlike {@link namesSite}, so "Troy" on troyrecord.com stays a person. */
function isTheSite(name: string, siteName: string | null, site: string | null): boolean {
  const squashed = squash(name);
  if (squashed === '') return false;
  if (siteName !== null && squashed === squash(siteName)) return true;
  return site !== null && squashed === squash(site.split('.').slice(0, -1).join('.') || site);
}

/** The key two spellings of one person share: lowercased words, initials left out ("troy smith"). */
function personKey(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => !INITIAL.test(w))
    .join(' ')
    .toLowerCase();
}

/**
 * The page's authors as people: decoded, byline words and affiliations cut, roles ("publisher",
 * "Redaktion") and organisations ("Perform Media Deutschland GmbH", the site itself) dropped, and
 * two spellings of one person ("Troy L. Smith, Cleveland.com" and "Troy Smith") merged into the
 * first.
 */
export function cleanAuthors(names: readonly string[], context: { siteName: string | null; site: string | null }): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = withoutAffiliation(foldSpace(decodeEntities(raw)).replace(BYLINE_PREFIX, ''), context.siteName, context.site);
    if (name === '' || name.length > MAX_AUTHOR_CHARS || !/\p{L}/u.test(name)) continue;
    if (NOT_A_PERSON.has(name.toLowerCase()) || ORGANISATION.test(name) || isTheSite(name, context.siteName, context.site)) continue;
    const key = personKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}
