/**
 * The visible text of a page as lines: one line per block element, inline elements joined,
 * scripts and styles left out. Dates and story codes are read line by line from this.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/** Elements whose content is never visible text. */
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head', 'select', 'option', 'textarea']);
/** Inline elements: their text continues the current line. Everything else starts a new one. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'label', 'big', 'nobr',
]);

/** A line of visible text. */
export interface PageLine {
  text: string;
  /** Index of the line in document order. */
  index: number;
  /** The block element the line belongs to (null at the top level). */
  block: Element | null;
  /** The innermost element holding the start of the line's text (inline or block). */
  first: Element | null;
}

/** Lines of visible text in document order, whitespace collapsed, empty lines dropped. */
export function pageLines($: CheerioAPI): PageLine[] {
  const lines: PageLine[] = [];
  let current = '';
  let first: Element | null = null;
  const blocks: Array<Element | null> = [null];
  const flush = (): void => {
    const t = current.replace(/\s+/g, ' ').trim();
    if (t) lines.push({ text: t, index: lines.length, block: blocks[blocks.length - 1] ?? null, first });
    current = '';
    first = null;
  };
  const walk = (node: AnyNode, parent: Element | null): void => {
    if (node.type === 'text') {
      if (first === null && node.data.trim()) first = parent;
      current += node.data;
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node.type === 'tag' ? node : null;
    const name = el ? el.name.toLowerCase() : '';
    if (INVISIBLE.has(name)) return;
    const block = el !== null && !INLINE.has(name);
    if (block || name === 'br') flush();
    if (block) blocks.push(el);
    for (const child of node.children) walk(child, el ?? parent);
    if (block) {
      flush();
      blocks.pop();
    }
  };
  const body = $('body').get(0);
  walk(body ?? $.root().get(0)!, null);
  flush();
  return lines;
}
