/**
 * The one set of helpers over the htmlparser2 (domhandler) tree that cheerio parses into: what
 * an element is, its text, its class/id hints, and relinking children. The extractor walks
 * nodes directly: a cheerio selection per node would cost more than the parse itself.
 */
import type { AnyNode, Element, ParentNode, Text } from 'domhandler';
import { MAX_TREE_DEPTH } from '../boilerplate.ts';

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

/** cheerio's `.attr(name)` of an element (or of an empty selection). */
export function attributeOf(el: Element | null, name: string): string | undefined {
  return el !== null && Object.hasOwn(el.attribs, name) ? el.attribs[name] : undefined;
}

/**
 * cheerio's `.text()`: the text of every text node below (comments left out), as written (not
 * folded), stopping below {@link MAX_TREE_DEPTH}.
 */
export function textOf(node: AnyNode, depth = 0): string {
  if (isText(node)) return node.data;
  if (!('children' in node) || depth > MAX_TREE_DEPTH) return '';
  let out = '';
  for (const child of node.children) out += textOf(child, depth + 1);
  return out;
}

/**
 * What {@link filterChildren} keeps, child by child. An object's method rather than a closure,
 * since the walks that filter run for every element of a page ("Hot walkers", ../index.ts);
 * `depth` is the parent's depth, for the walk to go on below a kept child.
 */
export interface ChildFilter {
  keep(child: AnyNode, parent: ParentNode, depth: number): boolean;
}

/** Keeps only the children `filter` keeps, relinking siblings once. */
export function filterChildren(parent: ParentNode, filter: ChildFilter, depth: number): void {
  const children = parent.children;
  // The kept list is only built once a child is dropped: most nodes lose none.
  let kept: AnyNode[] | null = null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    if (filter.keep(child, parent, depth)) {
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

