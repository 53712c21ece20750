/**
 * Document cleaning, before the body is looked for: first what is never text (scripts, forms'
 * controls, hidden nodes, comments), then page chrome (navigation, share bars, related lists,
 * comment threads) recognised by tag, ARIA role or class/id words. Chrome that turns out to hold
 * most of the page's prose is kept: some sites wrap the article in a <form> or a "main-header".
 */
import {
  CHROME_MAX_PROSE_PARAGRAPHS, CHROME_ROLES, CHROME_TAGS, BOILERPLATE_CLASS_ID, CONTENT_CLASS_ID,
  MAX_TREE_DEPTH, NON_CONTENT_TAGS,
} from './boilerplate.ts';
import { type AnyNode, type Element, type ParentNode, classAndId, filterChildren, isElement } from './dom.ts';
import { type TextStats, computeStats } from './stats.ts';

/** Inline styles that hide an element. */
const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Tags never removed as chrome, whatever their class says (the document frame and the article element). */
const NEVER_CHROME: ReadonlySet<string> = new Set(['html', 'body', 'article', 'main']);

/** An element holding at least this share of the page's prose is never removed as chrome. */
const CHROME_MAX_PROSE_SHARE = 0.5;

export function isHidden(el: Element): boolean {
  const attribs = el.attribs;
  if (attribs['hidden'] !== undefined) return true;
  if (attribs['aria-hidden'] === 'true') return true;
  const style = attribs['style'];
  return style !== undefined && HIDDEN_STYLE.test(style);
}

/** Tags that only hold code or styling; JSON-LD scripts are kept (metadata and dates read them). */
const CODE_TAGS: ReadonlySet<string> = new Set(['style', 'svg', 'template', 'noscript', 'iframe', 'canvas', 'math']);

function isCode(el: Element): boolean {
  if (el.name === 'script') return !(el.attribs['type'] ?? '').toLowerCase().includes('ld+json');
  return CODE_TAGS.has(el.name);
}

/**
 * Step 0: drops comments and code (scripts other than JSON-LD, styles, inline SVG). Nothing
 * here is ever read; later walks (metadata, dates, scoring) get a smaller tree.
 */
export function removeCode(node: ParentNode, depth = 0): void {
  filterChildren(node, (child) => {
    if (child.type === 'text') return true;
    if (!isElement(child)) return child.type === 'directive';
    if (depth > MAX_TREE_DEPTH || isCode(child)) return false;
    removeCode(child, depth + 1);
    return true;
  });
}

/** A rel-tag link (microformat): a tag of the article, never its text. */
function isTagLink(el: Element): boolean {
  return el.name === 'a' && /(?:^|\s)tag(?:\s|$)/i.test(el.attribs['rel'] ?? '');
}

/** Step 1: drops comments, processing instructions and {@link NON_CONTENT_TAGS} and hidden elements. */
export function removeNonContent(node: ParentNode, depth = 0): void {
  filterChildren(node, (child) => {
    if (child.type === 'text') return true;
    if (!isElement(child)) return false;
    if (depth > MAX_TREE_DEPTH) return false;
    if (NON_CONTENT_TAGS.has(child.name) || isHidden(child) || isTagLink(child)) return false;
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
  return hints !== '' && BOILERPLATE_CLASS_ID.test(hints) && !CONTENT_CLASS_ID.test(hints);
}

/** Step 2: drops chrome, unless it holds much of the page's prose. */
export function removeChrome(root: ParentNode): void {
  const stats = computeStats(root);
  const total = stats.get(root as Element)?.proseChars ?? 0;
  const visit = (node: ParentNode, depth: number): void => {
    filterChildren(node, (child) => {
      if (!isElement(child)) return true;
      if (depth > MAX_TREE_DEPTH) return false;
      if (looksLikeChrome(child) && !holdsThePage(stats.get(child), total)) return false;
      visit(child, depth + 1);
      return true;
    });
  };
  visit(root, 0);
}

function holdsThePage(s: TextStats | undefined, totalProse: number): boolean {
  if (s === undefined) return false;
  return s.proseParagraphs > CHROME_MAX_PROSE_PARAGRAPHS && s.proseChars >= totalProse * CHROME_MAX_PROSE_SHARE;
}

export type { AnyNode };
