/**
 * Document cleaning, before the body is looked for: first what is never text (scripts, forms'
 * controls, hidden nodes, comments), then page chrome (navigation, share bars, related lists,
 * comment threads) recognised by tag, ARIA role or class/id words. Chrome that turns out to hold
 * most of the page's prose is kept: some sites wrap the article in a <form> or a "main-header".
 */
import { detachedCopy } from '../normalize/detached-string.ts';
import {
  CHROME_FEW_PARAGRAPHS_PROSE_SHARE, CHROME_MAX_PROSE_PARAGRAPHS, CHROME_MAX_PROSE_SHARE, HIDDEN_STYLE, MAX_TREE_DEPTH,
  WEAK_CHROME_MAX_LINK_DENSITY, WEAK_CHROME_MIN_TEXT_CHARS,
} from './boilerplate.ts';
import {
  BOILERPLATE_CLASS_ID, CHROME_ROLES, CHROME_TAGS, CLASS_MODIFIER, CONTENT_CLASS_ID, LONG_FURNITURE_CLASS_ID,
  NEVER_CHROME, STRONG_BOILERPLATE_CLASS_ID,
} from './page/chrome.ts';
import { BLOCK_TAGS, CODE_TAGS, NON_CONTENT_TAGS } from './page/tags.ts';
import { type AnyNode, type ChildFilter, type Element, type ParentNode, classAndId, filterChildren, isElement } from './page/dom.ts';
import { type StatsMap, type TextStats, computeStats, updateStats } from './stats.ts';

export function isHidden(el: Element): boolean {
  const attribs = el.attribs;
  if (attribs['hidden'] !== undefined) return true;
  if (attribs['aria-hidden'] === 'true') return true;
  const style = attribs['style'];
  return style !== undefined && HIDDEN_STYLE.test(style);
}

function isCode(el: Element): boolean {
  if (el.name === 'script') return !(el.attribs['type'] ?? '').toLowerCase().includes('ld+json');
  return CODE_TAGS.has(el.name);
}

/** Whether a sibling bounds a line of text (a block element, or the edge of its parent). */
function isLineBoundary(node: AnyNode | null): boolean {
  return node === null || (isElement(node) && (BLOCKS.has(node.name) || HEAD_TAGS.has(node.name)));
}

const BLOCKS = BLOCK_TAGS;
/** Elements of <head>: indentation between them is not text either. */
const HEAD_TAGS: ReadonlySet<string> = new Set(['head', 'title', 'meta', 'link', 'base']);
/** Where whitespace is text. */
const PREFORMATTED: ReadonlySet<string> = new Set(['pre', 'textarea', 'listing', 'plaintext', 'xmp']);

/**
 * Step 0: drops comments, code (scripts other than JSON-LD, styles, inline SVG), and the
 * indentation between blocks (whitespace-only text whose neighbours are blocks: about a fifth
 * of a page's nodes, and never part of a line of text). Nothing here is ever read; every later
 * walk (metadata, dates, scoring) gets a smaller tree.
 */
export function removeCode(node: ParentNode, depth = 0): void {
  filterChildren(node, CODE_FILTER, depth);
}

/**
 * {@link removeCode} and then {@link removeNonContent}, in one walk: for a page that nothing
 * reads between the two steps (no site profile), the same tree for half the cost.
 */
export function removeCodeAndNonContent(node: ParentNode, depth = 0): void {
  filterChildren(node, CODE_AND_NON_CONTENT_FILTER, depth);
}

/** The walk of removeCode (and of removeCodeAndNonContent, given `nonContent`). */
class CodeFilter implements ChildFilter {
  private readonly nonContent: boolean;

  constructor(nonContent: boolean) {
    this.nonContent = nonContent;
  }

  keep(child: AnyNode, parent: ParentNode, depth: number): boolean {
    if (child.type === 'text') {
      return !isLineBoundary(child.prev) || !isLineBoundary(child.next) || !BLANK.test(child.data) || isPreformatted(parent);
    }
    if (!isElement(child)) return !this.nonContent && child.type === 'directive';
    if (depth > MAX_TREE_DEPTH || isCode(child) || (this.nonContent && isNonContent(child))) return false;
    filterChildren(child, this, depth + 1);
    return true;
  }
}

const CODE_FILTER = new CodeFilter(false);
const CODE_AND_NON_CONTENT_FILTER = new CodeFilter(true);

function isPreformatted(node: ParentNode): boolean {
  return isElement(node as AnyNode) && PREFORMATTED.has((node as Element).name);
}

const BLANK = /^\s*$/;

/** A rel-tag link (microformat): a tag of the article, never its text. */
function isTagLink(el: Element): boolean {
  return el.name === 'a' && /(?:^|\s)tag(?:\s|$)/i.test(el.attribs['rel'] ?? '');
}

function isNonContent(el: Element): boolean {
  return NON_CONTENT_TAGS.has(el.name) || isHidden(el) || isTagLink(el);
}

/** Step 1: drops comments, processing instructions and {@link NON_CONTENT_TAGS} and hidden elements. */
export function removeNonContent(node: ParentNode, depth = 0): void {
  filterChildren(node, NON_CONTENT_FILTER, depth);
}

const NON_CONTENT_FILTER: ChildFilter = {
  keep(child, _parent, depth) {
    if (child.type === 'text') return true;
    if (!isElement(child)) return false;
    if (depth > MAX_TREE_DEPTH || isNonContent(child)) return false;
    filterChildren(child, NON_CONTENT_FILTER, depth + 1);
    return true;
  },
};

/**
 * How an element looks like page chrome: by tag or ARIA role, by a strong class/id word (never
 * the article whatever else it says), by weak class/id words only (furniture words that also
 * name wrappers of the article: "date-outer", "widget", "print-full"), or not at all.
 */
export type ChromeKind = 'tag' | 'strong' | 'weak' | null;

export function chromeKind(el: Element): ChromeKind {
  if (NEVER_CHROME.has(el.name)) return null;
  if (CHROME_TAGS.has(el.name)) return el.name === 'header' && isInsideArticle(el) ? 'weak' : 'tag';
  const role = el.attribs['role'];
  if (role !== undefined && CHROME_ROLES.has(role.toLowerCase())) return 'tag';
  const hints = classAndId(el);
  return hints === '' ? null : hintsChromeKind(hints);
}

/** Class and id hints without {@link CLASS_MODIFIER} flags: what the chrome and content words are matched against. */
export function hintsOf(el: Element): string {
  const hints = classAndId(el);
  return hints.includes('-') ? hints.replace(CLASS_MODIFIER, ' ') : hints;
}

/** Whether an element is page chrome by tag, role or class/id. */
export function looksLikeChrome(el: Element): boolean {
  return chromeKind(el) !== null;
}

/**
 * A <header> inside an <article> or <main> is the article's own header (HTML's sectioning rule):
 * the headline, often the lead paragraph, the byline. It goes only when it holds no prose; the
 * page's header, outside them, is chrome.
 */
function isInsideArticle(el: Element): boolean {
  for (let node = el.parent; node !== null && isElement(node as AnyNode); node = node.parent) {
    const name = (node as Element).name;
    if (name === 'article' || name === 'main') return true;
  }
  return false;
}

/** Class strings repeat across a page and across pages: the two regular expressions run once per distinct string. */
const chromeHintCache = new Map<string, ChromeKind>();
const CHROME_HINT_CACHE_SIZE = 20_000;

function hintsChromeKind(hints: string): ChromeKind {
  let verdict = chromeHintCache.get(hints);
  if (verdict === undefined) {
    const words = hints.includes('-') ? hints.replace(CLASS_MODIFIER, ' ') : hints;
    verdict = STRONG_BOILERPLATE_CLASS_ID.test(words)
      ? 'strong'
      : BOILERPLATE_CLASS_ID.test(words) && !CONTENT_CLASS_ID.test(words) ? 'weak' : null;
    if (chromeHintCache.size >= CHROME_HINT_CACHE_SIZE) chromeHintCache.clear();
    // A copy: the hints are a view into the page's HTML, which the cache would keep alive.
    chromeHintCache.set(detachedCopy(hints), verdict);
  }
  return verdict;
}

/** Step 2: drops chrome, unless it holds much of the page's prose; returns the stats of what is left. */
export function removeChrome(root: ParentNode): StatsMap {
  const stats = computeStats(root);
  const total = stats.get(root as Element)?.proseChars ?? 0;
  const removal = new ChromeRemoval(stats, total);
  filterChildren(root, removal, 0);
  return updateStats(root, stats, removal.changed);
}

/** The walk of removeChrome. */
class ChromeRemoval implements ChildFilter {
  /** Elements that lost descendants: their stats change. */
  readonly changed = new Set<AnyNode>();

  private readonly stats: StatsMap;
  private readonly totalProse: number;

  constructor(stats: StatsMap, totalProse: number) {
    this.stats = stats;
    this.totalProse = totalProse;
  }

  keep(child: AnyNode, parent: ParentNode, depth: number): boolean {
    if (!isElement(child)) return true;
    if (depth > MAX_TREE_DEPTH || isRemovedChrome(child, this.stats.get(child), this.totalProse)) {
      for (let n: ParentNode | null = parent; n !== null && !this.changed.has(n); n = n.parent) this.changed.add(n);
      return false;
    }
    filterChildren(child, this, depth + 1);
    return true;
  }
}

function isRemovedChrome(el: Element, s: TextStats | undefined, totalProse: number): boolean {
  const kind = chromeKind(el);
  if (kind === null || s === undefined) return kind !== null;
  if (kind === 'weak' && holdsProse(s) && !LONG_FURNITURE_CLASS_ID.test(classAndId(el))) return false;
  return !holdsThePage(s, totalProse);
}

/** Chrome that holds this share of the page's prose is the page (a layout wrapper named "content-sidebar-wrap", ASP.NET's page-wide <form>). */
function holdsThePage(s: TextStats, totalProse: number): boolean {
  if (s.proseParagraphs > CHROME_MAX_PROSE_PARAGRAPHS) return s.proseChars >= totalProse * CHROME_MAX_PROSE_SHARE;
  return s.proseParagraphs > 0 && s.proseChars >= totalProse * CHROME_FEW_PARAGRAPHS_PROSE_SHARE;
}

/** A weak-word element with a prose paragraph of little link text is a wrapper of text ("date-outer" around a blog post), not furniture: bylines and date lines are short. */
function holdsProse(s: TextStats): boolean {
  return (s.proseParagraphs > 0 || s.chars >= WEAK_CHROME_MIN_TEXT_CHARS) && s.linkChars <= s.chars * WEAK_CHROME_MAX_LINK_DENSITY;
}

export type { AnyNode };
