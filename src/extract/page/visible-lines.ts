/**
 * The visible text of a page as lines: one line per block element, inline elements joined,
 * scripts and styles left out. Dates and story codes are read line by line from this.
 */
import type { AnyNode, Element } from 'domhandler';
import { kindOf } from './tags.ts';

/**
 * Whitespace that collapsing to one space changes: a run of two or more, or one character
 * other than the space. (Cheaper than replacing every `\s+` run, most of which are one space.)
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;
const NON_SPACE = /\S/;

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

/**
 * Lines of visible text below `top` (the page's body, else its root) in document order,
 * whitespace collapsed, empty lines dropped. A page's lines are read once, by `indexPage`.
 */
export function linesOf(top: AnyNode): PageLine[] {
  const reader = new LineReader();
  reader.walk(top, null);
  reader.flush();
  return reader.lines;
}

/** The walk of linesOf, as methods of a module-level class ("Hot walkers", ../index.ts). */
class LineReader {
  readonly lines: PageLine[] = [];
  private current = '';
  private first: Element | null = null;
  private readonly blocks: Array<Element | null> = [null];

  flush(): void {
    if (this.current !== '') {
      const t = this.current.replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
      if (t) this.lines.push({ text: t, index: this.lines.length, block: this.blocks[this.blocks.length - 1] ?? null, first: this.first });
      this.current = '';
    }
    this.first = null;
  }

  walk(node: AnyNode, parent: Element | null): void {
    if (node.type === 'text') {
      if (NON_SPACE.test(node.data)) {
        this.first ??= parent;
        this.current += node.data;
      } else if (this.current !== '') {
        this.current += ' '; // what the whitespace collapses to anyway
      }
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node.type === 'tag' ? node : null;
    const kind = el ? kindOf(el.name) : 'inline';
    if (kind === 'invisible') return;
    const block = kind === 'block';
    if (block || kind === 'break') this.flush();
    if (block) this.blocks.push(el);
    for (const child of node.children) this.walk(child, el ?? parent);
    if (block) {
      this.flush();
      this.blocks.pop();
    }
  }
}
