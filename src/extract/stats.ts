/**
 * Per-element text statistics, computed in one bottom-up pass so scoring and pruning never
 * re-read a subtree's text: characters (whitespace runs count as one), characters inside links,
 * clause separators, and how much of it sits in prose paragraphs.
 */
import {
  CLAUSE_SEPARATOR_CODES, LINKED_HEADING_SHARE, MAX_TREE_DEPTH, SIBLING_PARAGRAPH_MIN_CHARS,
  TEASER_LIST_MIN_HEADINGS, TEASER_MAX_CHARS_PER_HEADING, TEASER_MAX_PARAGRAPH_CHARS,
} from './boilerplate.ts';
import { BLOCK_TAGS, DIV_LIKE_TAGS, HEADING_TAGS, PARAGRAPH_TAGS } from './page/tags.ts';
import { type AnyNode, type Element, type ParentNode, isElement } from './page/dom.ts';

export interface TextStats {
  /** Characters of text, whitespace runs counted once. */
  chars: number;
  /** Of which inside <a> elements. */
  linkChars: number;
  /** Clause separators (commas in several scripts). */
  commas: number;
  /** Characters in prose paragraphs (paragraphs of at least 80 characters). */
  proseChars: number;
  proseParagraphs: number;
  /** Whether the element contains block-level children (else it is a run of inline content). */
  hasBlockChild: boolean;
  /** Longest paragraph (paragraph-like element, mostly unlinked) inside. */
  maxParagraphChars: number;
  /** Headings that are links (teaser cards: "<a><h3>Other story</h3></a>"). */
  linkedHeadings: number;
}

export type StatsMap = Map<Element, TextStats>;

// Module-local references: the loops below run per character and per node, and some loaders
// (tsx, CommonJS interop) turn every access to an imported binding into a getter call.
const SEPARATORS = CLAUSE_SEPARATOR_CODES;
const BLOCKS = BLOCK_TAGS;
const HEADINGS = HEADING_TAGS;
const PARAGRAPHS = PARAGRAPH_TAGS;
const DIV_LIKE = DIV_LIKE_TAGS;

/** Whether a char code is a clause separator: ASCII , and ; checked first, the Set only beyond ASCII. */
function isSeparator(code: number): boolean {
  return code === 0x2c || code === 0x3b || (code > 0x7f && SEPARATORS.has(code));
}

const SPACE = /\s/;

/** Clause separators in a text ({@link CLAUSE_SEPARATOR_CODES}). */
export function countCommas(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (isSeparator(text.charCodeAt(i))) n++;
  return n;
}

/**
 * Adds a text node's data to `s`: its folded length (whitespace runs count once) to `chars`
 * (and to `linkChars` inside a link), its clause separators to `commas`. Adding in place costs
 * no stats object per text node.
 */
function addText(s: TextStats, data: string, inLink: boolean): void {
  let chars = 0;
  let commas = 0;
  let inSpace = true;
  for (let i = 0; i < data.length; i++) {
    const code = data.charCodeAt(i);
    if (code <= 32 || code === 160 || (code > 0x1fff && SPACE.test(data[i]!))) {
      if (!inSpace) chars++;
      inSpace = true;
    } else {
      chars++;
      inSpace = false;
      if (isSeparator(code)) commas++;
    }
  }
  s.chars += chars;
  s.commas += commas;
  if (inLink) s.linkChars += chars;
}

/** Whether an element is a paragraph for scoring: a <p>, or a cell, quote or div-like box of inline content only. */
export function isParagraphLike(el: Element, s: TextStats): boolean {
  if (el.name === 'p') return true;
  // A table cell, quote or box that holds blocks (a layout table, a quote of paragraphs) is a container.
  return (PARAGRAPHS.has(el.name) || DIV_LIKE.has(el.name)) && !s.hasBlockChild;
}

export function computeStats(root: ParentNode): StatsMap {
  return fillStats(root, new Map(), null);
}

/**
 * The stats of the page after subtrees were removed from it: `changed` holds every element that
 * lost descendants (the removed nodes' ancestors, the root included), whose stats are computed
 * again; every other element's subtree is as it was, and keeps its stats. (Entries of the removed
 * nodes stay in the map; nothing walking the page reaches them.)
 */
export function updateStats(root: ParentNode, map: StatsMap, changed: ReadonlySet<AnyNode>): StatsMap {
  return changed.size === 0 ? map : fillStats(root, map, changed);
}

/** Computes the stats below `root` into `map`: all of them, or (given `changed`) only those of the changed elements. */
function fillStats(root: ParentNode, map: StatsMap, changed: ReadonlySet<AnyNode> | null): StatsMap {
  statsBelow(root, false, 0, map, changed);
  return map;
}

/** The stats of `node`, its descendants' filled in on the way (module-level: "Hot walkers", index.ts). */
function statsBelow(node: AnyNode, inLink: boolean, depth: number, map: StatsMap, changed: ReadonlySet<AnyNode> | null): TextStats {
  const s: TextStats = { chars: 0, linkChars: 0, commas: 0, proseChars: 0, proseParagraphs: 0, hasBlockChild: false, maxParagraphChars: 0, linkedHeadings: 0 };
  if (node.type === 'text') {
    addText(s, node.data, inLink);
    return s;
  }
  if (!('children' in node) || depth > MAX_TREE_DEPTH) return s;
  const link = inLink || (isElement(node) && node.name === 'a');
  for (const child of node.children) {
    if (child.type === 'text') {
      addText(s, child.data, link);
      continue;
    }
    const c = (changed !== null && !changed.has(child) ? map.get(child as Element) : undefined) ?? statsBelow(child, link, depth + 1, map, changed);
    s.chars += c.chars;
    s.linkChars += c.linkChars;
    s.commas += c.commas;
    s.proseChars += c.proseChars;
    s.proseParagraphs += c.proseParagraphs;
    s.linkedHeadings += c.linkedHeadings;
    if (c.maxParagraphChars > s.maxParagraphChars) s.maxParagraphChars = c.maxParagraphChars;
    if (isElement(child) && BLOCKS.has(child.name)) s.hasBlockChild = true;
  }
  if (isElement(node)) {
    if (HEADINGS.has(node.name) && s.chars > 0 && s.linkChars >= s.chars * LINKED_HEADING_SHARE) s.linkedHeadings++;
    if (s.maxParagraphChars === 0 && isParagraphLike(node, s) && s.linkChars < s.chars / 2) s.maxParagraphChars = s.chars;
    if (
      s.proseParagraphs === 0 &&
      isParagraphLike(node, s) &&
      s.chars >= SIBLING_PARAGRAPH_MIN_CHARS &&
      s.linkChars < s.chars / 2
    ) {
      s.proseChars = s.chars;
      s.proseParagraphs = 1;
    }
    map.set(node, s);
  } else {
    // The document root: kept so callers can read the page's totals.
    map.set(node as unknown as Element, s);
  }
  return s;
}

export function linkDensity(s: TextStats | undefined): number {
  if (s === undefined || s.chars === 0) return 0;
  return s.linkChars / s.chars;
}

/** Whether a block is a list of teasers: several linked headlines with little text each. */
export function isTeaserList(s: TextStats | undefined): boolean {
  return (
    s !== undefined &&
    s.linkedHeadings >= TEASER_LIST_MIN_HEADINGS &&
    s.chars <= s.linkedHeadings * TEASER_MAX_CHARS_PER_HEADING &&
    s.maxParagraphChars <= TEASER_MAX_PARAGRAPH_CHARS
  );
}
