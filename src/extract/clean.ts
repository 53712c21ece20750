/**
 * Document cleaning, before the body is looked for: first what is never text (scripts, forms'
 * controls, hidden nodes, comments), then page chrome (navigation, share bars, related lists,
 * comment threads) recognised by tag, ARIA role or class/id words. Chrome that turns out to hold
 * most of the page's prose is kept: some sites wrap the article in a <form> or a "main-header".
 */
import { CHROME_MAX_PROSE_PARAGRAPHS, CHROME_MAX_PROSE_SHARE, HIDDEN_STYLE, MAX_TREE_DEPTH } from './boilerplate.ts';
import {
  BOILERPLATE_CLASS_ID, CHROME_ROLES, CHROME_TAGS, CONTENT_CLASS_ID, NEVER_CHROME,
  STRONG_BOILERPLATE_CLASS_ID,
} from './page/chrome.ts';
import { BLOCK_TAGS, CODE_TAGS, NON_CONTENT_TAGS } from './page/tags.ts';
import { type AnyNode, type Element, type ParentNode, classAndId, filterChildren, isElement } from './page/dom.ts';
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
  prune(node, depth, false);
}

/**
 * {@link removeCode} and then {@link removeNonContent}, in one walk: for a page that nothing
 * reads between the two steps (no site profile), the same tree for half the cost.
 */
export function removeCodeAndNonContent(node: ParentNode, depth = 0): void {
  prune(node, depth, true);
}

function prune(node: ParentNode, depth: number, nonContent: boolean): void {
  const keepSpace = isElement(node as AnyNode) && PREFORMATTED.has((node as Element).name);
  filterChildren(node, (child) => {
    if (child.type === 'text') {
      return keepSpace || !isLineBoundary(child.prev) || !isLineBoundary(child.next) || !BLANK.test(child.data);
    }
    if (!isElement(child)) return !nonContent && child.type === 'directive';
    if (depth > MAX_TREE_DEPTH || isCode(child) || (nonContent && isNonContent(child))) return false;
    prune(child, depth + 1, nonContent);
    return true;
  });
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
  filterChildren(node, (child) => {
    if (child.type === 'text') return true;
    if (!isElement(child)) return false;
    if (depth > MAX_TREE_DEPTH || isNonContent(child)) return false;
    removeNonContent(child, depth + 1);
    return true;
  });
}

/** Whether an element is page chrome by tag, role or class/id. */
export function looksLikeChrome(el: Element): boolean {
  if (NEVER_CHROME.has(el.name)) return false;
  if (CHROME_TAGS.has(el.name)) return true;
  const role = el.attribs['role'];
  if (role !== undefined && CHROME_ROLES.has(role.toLowerCase())) return true;
  const hints = classAndId(el);
  return hints !== '' && hintsLookLikeChrome(hints);
}

/** Class strings repeat across a page and across pages: the two regular expressions run once per distinct string. */
const chromeHintCache = new Map<string, boolean>();
const CHROME_HINT_CACHE_SIZE = 20_000;

function hintsLookLikeChrome(hints: string): boolean {
  let verdict = chromeHintCache.get(hints);
  if (verdict === undefined) {
    verdict = STRONG_BOILERPLATE_CLASS_ID.test(hints) || (BOILERPLATE_CLASS_ID.test(hints) && !CONTENT_CLASS_ID.test(hints));
    if (chromeHintCache.size >= CHROME_HINT_CACHE_SIZE) chromeHintCache.clear();
    chromeHintCache.set(hints, verdict);
  }
  return verdict;
}

/** Step 2: drops chrome, unless it holds much of the page's prose; returns the stats of what is left. */
export function removeChrome(root: ParentNode): StatsMap {
  const stats = computeStats(root);
  const total = stats.get(root as Element)?.proseChars ?? 0;
  /** Elements that lost descendants: their stats change. */
  const changed = new Set<AnyNode>();
  const visit = (node: ParentNode, depth: number): void => {
    filterChildren(node, (child) => {
      if (!isElement(child)) return true;
      if (depth > MAX_TREE_DEPTH || (looksLikeChrome(child) && !holdsThePage(stats.get(child), total))) {
        for (let n: ParentNode | null = node; n !== null && !changed.has(n); n = n.parent) changed.add(n);
        return false;
      }
      visit(child, depth + 1);
      return true;
    });
  };
  visit(root, 0);
  return updateStats(root, stats, changed);
}

function holdsThePage(s: TextStats | undefined, totalProse: number): boolean {
  if (s === undefined) return false;
  return s.proseParagraphs > CHROME_MAX_PROSE_PARAGRAPHS && s.proseChars >= totalProse * CHROME_MAX_PROSE_SHARE;
}

export type { AnyNode };
