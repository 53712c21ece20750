/**
 * A guard against pathological markup, applied to the HTML text before parsing, in one scan:
 *
 * - Depth. The parser's cost grows with the square of the nesting depth (100,000 nested <div>s
 *   take seconds to parse), and recursive tree walks overflow the stack. Browsers cap the tree
 *   depth too (Blink at 512). Real pages stay far below the cap (the benchmark's deepest is about
 *   500 by this count, which over-counts unclosed <p> and <li>).
 * - Element count. Parsing and every later walk cost time and memory per element, so a page of
 *   millions of tags (an 8 MB run of `<br>`) would cost seconds and a gigabyte; beyond the cap,
 *   tags are dropped, so what a page can cost is bounded whatever its markup.
 *
 * A page over a cap loses the tags beyond it, never its text.
 */
import { MAX_MARKUP_DEPTH, MAX_MARKUP_ELEMENTS } from './boilerplate.ts';

/** Elements that never have a closing tag, so they do not deepen the tree. */
const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr',
  'param', 'keygen', 'command', 'basefont', 'frame', 'isindex', 'image', '!doctype',
]);

/**
 * The void element names grouped by their first letter's char code, so checking a tag costs a
 * few char comparisons and no string allocation (this scan runs over every page before parsing).
 */
const VOID_BY_FIRST_CHAR: ReadonlyMap<number, readonly string[]> = (() => {
  const groups = new Map<number, string[]>();
  for (const name of VOID_ELEMENTS) {
    const group = groups.get(name.charCodeAt(0)) ?? [];
    group.push(name);
    groups.set(name.charCodeAt(0), group);
  }
  return groups;
})();

/** Whether html[start, end) names a void element, compared case-insensitively. */
function isVoidElementName(html: string, start: number, end: number): boolean {
  const candidates = VOID_BY_FIRST_CHAR.get(html.charCodeAt(start) | 0x20);
  if (candidates === undefined) return false;
  const length = end - start;
  for (const candidate of candidates) {
    if (candidate.length !== length) continue;
    let k = 1;
    while (k < length && (html.charCodeAt(start + k) | 0x20) === candidate.charCodeAt(k)) k++;
    if (k === length) return true;
  }
  return false;
}

function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 45 || code === 58;
}

/** Adds [from, to) to the ranges to drop, extending the last one when it ends at `from` (module-level: "Hot walkers", index.ts). */
function addCut(cuts: number[], from: number, to: number): void {
  if (cuts.length > 0 && cuts[cuts.length - 1] === from) cuts[cuts.length - 1] = to;
  else cuts.push(from, to);
}

/**
 * The HTML with opening tags beyond `maxDepth` (and their closing tags) removed; the input itself
 * when it never gets that deep (the common case costs one scan and no copy).
 */
export function limitNesting(html: string, maxDepth: number = MAX_MARKUP_DEPTH): string {
  return limitMarkup(html, { maxDepth, maxElements: Infinity });
}

export interface MarkupLimits {
  /** Open elements deeper than this lose their tags. @defaultValue MAX_MARKUP_DEPTH */
  maxDepth?: number;
  /** Elements (void ones included) after the first this many lose their tags. @defaultValue MAX_MARKUP_ELEMENTS */
  maxElements?: number;
}

/**
 * The HTML with opening tags beyond the depth cap or the element cap (and the closing tags that
 * match them) removed; the input itself when it stays within both (one scan and no copy).
 */
export function limitMarkup(html: string, limits: MarkupLimits = {}): string {
  const maxDepth = limits.maxDepth ?? MAX_MARKUP_DEPTH;
  const maxElements = limits.maxElements ?? MAX_MARKUP_ELEMENTS;
  let depth = 0;
  let elements = 0;
  let suppressed = 0;
  // Ranges to drop, as [from, to) pairs; a range that starts where the last ends extends it, so
  // a long run of dropped tags is one range.
  const cuts: number[] = [];
  let i = 0;
  for (;;) {
    i = html.indexOf('<', i);
    if (i < 0 || i + 1 >= html.length) break;
    const next = html.charCodeAt(i + 1);
    const closing = next === 47; // '/'
    const start = closing ? i + 2 : i + 1;
    const first = html.charCodeAt(start);
    if (!((first >= 97 && first <= 122) || (first >= 65 && first <= 90))) {
      i++;
      continue;
    }
    let end = start + 1;
    while (end < html.length && isNameChar(html.charCodeAt(end))) end++;
    if (isVoidElementName(html, start, end)) {
      if (!closing && ++elements > maxElements) {
        const close = html.indexOf('>', end);
        const tagEnd = close < 0 ? html.length : close + 1;
        addCut(cuts, i, tagEnd);
        i = tagEnd;
      } else i = end;
      continue;
    }
    const close = html.indexOf('>', end);
    const tagEnd = close < 0 ? html.length : close + 1;
    if (closing) {
      if (suppressed > 0) {
        suppressed--;
        addCut(cuts, i, tagEnd);
      } else if (depth > 0) depth--;
    } else if (++elements > maxElements) {
      if (html.charCodeAt(tagEnd - 2) !== 47) suppressed++; // a self-closing "<x/>" has no end tag
      addCut(cuts, i, tagEnd);
    } else if (html.charCodeAt(tagEnd - 2) !== 47) {
      // Not self-closing ("<x/>").
      if (depth >= maxDepth) {
        suppressed++;
        addCut(cuts, i, tagEnd);
      } else depth++;
    }
    i = tagEnd;
  }
  if (cuts.length === 0) return html;
  return withoutRanges(html, cuts);
}

/** The text without the ranges [cuts[0], cuts[1]), [cuts[2], cuts[3]), …, in order. */
function withoutRanges(html: string, cuts: readonly number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    if (cuts[k]! > from) parts.push(html.slice(from, cuts[k]));
    from = cuts[k + 1]!;
  }
  parts.push(html.slice(from));
  return parts.join('');
}
