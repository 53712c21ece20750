/**
 * Whether a date sits in page furniture (comments, related lists, sidebars, footers, teasers)
 * rather than in the article, read from the element's tag and its ancestors' class/id words
 * (the vocabulary is page/chrome.ts's), and the class/id marks of an element's neighbourhood.
 */
import type { Element } from 'domhandler';
import { DATE_FURNITURE_TAGS, DATE_FURNITURE_WORDS, NEVER_CHROME, ARTICLE_CLASS_WORDS } from '../page/chrome.ts';

/** How many ancestors to look through for class/id marks. */
export const ANCESTOR_DEPTH = 5;

/** Tag, class, id and itemprop of `el` and its ancestors, `depth` levels up: what date marks are matched against. */
export function marksOf(el: Element | null, depth: number): string {
  let marks = '';
  let node: Element | null = el;
  for (let i = 0; i < depth && node && node.type === 'tag'; i++) {
    marks += ` ${node.name} ${node.attribs['class'] ?? ''} ${node.attribs['id'] ?? ''} ${node.attribs['itemprop'] ?? ''}`;
    node = node.parent && node.parent.type === 'tag' ? node.parent : null;
  }
  return marks;
}

function classWordsOf(el: Element): string[] {
  const { class: cls, id } = el.attribs;
  if (cls === undefined && id === undefined) return [];
  return `${cls ?? ''} ${id ?? ''}`
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/)
    .filter(Boolean);
}

/** True when the element sits in page furniture (below the article or main element). */
export function isInFurniture(el: Element | null): boolean {
  for (let node: Element | null = el; node && node.type === 'tag'; node = node.parent && node.parent.type === 'tag' ? node.parent : null) {
    if (NEVER_CHROME.has(node.name)) return false;
    if (DATE_FURNITURE_TAGS.has(node.name)) return true;
    const words = classWordsOf(node);
    if (words.some((w) => DATE_FURNITURE_WORDS.has(w))) return true;
    if (words.some((w) => ARTICLE_CLASS_WORDS.has(w))) return false;
  }
  return false;
}
