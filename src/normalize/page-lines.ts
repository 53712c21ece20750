/**
 * The visible text of a page as lines: one line per block element, inline elements joined,
 * scripts and styles left out. Dates and story codes are read line by line from this.
 */
import type { AnyNode, Element } from 'domhandler';

/** Elements whose content is never visible text. */
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head', 'select', 'option', 'textarea']);
/** Inline elements: their text continues the current line. Everything else starts a new one. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'label', 'big', 'nobr',
]);

/** How an element shapes the lines: hidden, continuing the line, breaking it, or a block of its own. */
type TagKind = 'invisible' | 'inline' | 'break' | 'block';
/** Common block elements: listed so that their kind is found without lowercasing their name. */
const COMMON_BLOCKS = [
  'html', 'body', 'div', 'p', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'figure',
  'figcaption', 'blockquote', 'pre', 'form', 'button', 'img', 'picture', 'source', 'input', 'hr',
];
/** Element names (lowercase) to their kind; a name not in it is a block. */
const TAG_KINDS: ReadonlyMap<string, TagKind> = new Map<string, TagKind>([
  ...COMMON_BLOCKS.map((name) => [name, 'block'] as const),
  ...[...INLINE].map((name) => [name, 'inline'] as const),
  ...[...INVISIBLE].map((name) => [name, 'invisible'] as const),
  ['br', 'break'],
]);

function kindOf(name: string): TagKind {
  return TAG_KINDS.get(name) ?? TAG_KINDS.get(name.toLowerCase()) ?? 'block';
}

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
  const lines: PageLine[] = [];
  let current = '';
  let first: Element | null = null;
  const blocks: Array<Element | null> = [null];
  const flush = (): void => {
    if (current !== '') {
      const t = current.replace(WHITESPACE_TO_COLLAPSE, ' ').trim();
      if (t) lines.push({ text: t, index: lines.length, block: blocks[blocks.length - 1] ?? null, first });
      current = '';
    }
    first = null;
  };
  const walk = (node: AnyNode, parent: Element | null): void => {
    if (node.type === 'text') {
      if (NON_SPACE.test(node.data)) {
        first ??= parent;
        current += node.data;
      } else if (current !== '') {
        current += ' '; // what the whitespace collapses to anyway
      }
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root') return;
    const el = node.type === 'tag' ? node : null;
    const kind = el ? kindOf(el.name) : 'inline';
    if (kind === 'invisible') return;
    const block = kind === 'block';
    if (block || kind === 'break') flush();
    if (block) blocks.push(el);
    for (const child of node.children) walk(child, el ?? parent);
    if (block) {
      flush();
      blocks.pop();
    }
  };
  walk(top, null);
  flush();
  return lines;
}
