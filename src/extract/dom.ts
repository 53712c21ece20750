/**
 * Small helpers over the htmlparser2 (domhandler) tree that cheerio parses into. The extractor
 * walks nodes directly: a cheerio selection per node would cost more than the parse itself.
 */
import type { AnyNode, Element, ParentNode, Text } from 'domhandler';
import { MAX_TREE_DEPTH } from './boilerplate.ts';

export type { AnyNode, Element, ParentNode };

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function isText(node: AnyNode): node is Text {
  return node.type === 'text';
}

/** Class and id, space separated, camelCase split: what the class/id hints are matched against. */
export function classAndId(el: Element): string {
  const cls = el.attribs['class'];
  const id = el.attribs['id'];
  const hints = cls === undefined ? (id ?? '') : id === undefined ? cls : `${cls} ${id}`;
  return splitCamelCase(hints);
}

/** "newsCaption" → "news Caption", so class words match on word boundaries in camelCase names too. */
function splitCamelCase(hints: string): string {
  return CAMEL_CASE_HUMP.test(hints) ? hints.replace(CAMEL_CASE_HUMPS, '$1 $2') : hints;
}

const CAMEL_CASE_HUMP = /[a-z][A-Z]/;
const CAMEL_CASE_HUMPS = /([a-z])([A-Z])/g;

/** Text of a node with whitespace runs folded to one space (not trimmed). */
export function textOf(node: AnyNode, depth = 0): string {
  if (isText(node)) return node.data;
  if (!('children' in node) || depth > MAX_TREE_DEPTH) return '';
  let out = '';
  for (const child of node.children) out += textOf(child, depth + 1);
  return out;
}

/** Whitespace, no-break and zero-width spaces; the zero-width non-joiner (Persian) is a letter joiner, not a space, and stays. */
const WHITESPACE_RUN = /[\s\u200b]+/g;

/** Whitespace that folding would change: a run of two, or any whitespace but a plain space. */
const FOLDABLE_WHITESPACE = /[\s\u200b]{2}|[^\S ]|\u200b/;

/** Folds whitespace (including no-break and zero-width spaces) and trims. */
export function foldSpace(text: string): string {
  // Most texts are already folded: one test instead of a replace that copies the string.
  return FOLDABLE_WHITESPACE.test(text) ? text.replace(WHITESPACE_RUN, ' ').trim() : text.trim();
}

/** Replaces `el` by nothing: unlinks it from its parent and siblings. */
export function removeNode(node: AnyNode): void {
  const parent = node.parent;
  if (parent === null) return;
  const index = parent.children.indexOf(node as never);
  if (index >= 0) parent.children.splice(index, 1);
  if (node.prev !== null) node.prev.next = node.next;
  if (node.next !== null) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** Keeps only the children for which `keep` is true, relinking siblings once. */
export function filterChildren(parent: ParentNode, keep: (child: AnyNode) => boolean): void {
  const children = parent.children;
  // The kept list is only built once a child is dropped: most nodes lose none.
  let kept: AnyNode[] | null = null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (keep(child)) {
      kept?.push(child);
    } else {
      kept ??= children.slice(0, i);
      child.parent = null;
    }
  }
  if (kept === null) return;
  for (let i = 0; i < kept.length; i++) {
    const node = kept[i]!;
    node.prev = kept[i - 1] ?? null;
    node.next = kept[i + 1] ?? null;
  }
  parent.children = kept as ParentNode['children'];
}

/** First descendant element (depth first) with the given tag name. */
export function findFirst(root: AnyNode, tag: string, depth = 0): Element | null {
  if (!('children' in root) || depth > MAX_TREE_DEPTH) return null;
  for (const child of root.children) {
    if (isElement(child)) {
      if (child.name === tag) return child;
      const found = findFirst(child, tag, depth + 1);
      if (found !== null) return found;
    }
  }
  return null;
}

/** All descendant elements with one of the given tag names, in document order. */
export function findAll(root: AnyNode, tags: ReadonlySet<string>, out: Element[] = [], depth = 0): Element[] {
  if (!('children' in root) || depth > MAX_TREE_DEPTH) return out;
  for (const child of root.children) {
    if (isElement(child)) {
      if (tags.has(child.name)) out.push(child);
      findAll(child, tags, out, depth + 1);
    }
  }
  return out;
}
