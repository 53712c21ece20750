/**
 * A guard against pathologically deep markup, applied to the HTML text before parsing. The
 * parser's cost grows with the square of the nesting depth (100,000 nested <div>s take seconds
 * to parse), and recursive tree walks overflow the stack. Browsers cap the tree depth too
 * (Blink at 512). Real pages stay far below the cap (the benchmark's deepest is about 500 by this
 * count, which over-counts unclosed <p> and <li>); a deeper page loses the tags beyond the cap,
 * never its text.
 */
import { MAX_MARKUP_DEPTH } from './boilerplate.ts';

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

/**
 * The HTML with opening tags beyond `maxDepth` (and their closing tags) removed; the input itself
 * when it never gets that deep (the common case costs one scan and no copy).
 */
export function limitNesting(html: string, maxDepth: number = MAX_MARKUP_DEPTH): string {
  let depth = 0;
  let suppressed = 0;
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
      i = end;
      continue;
    }
    const close = html.indexOf('>', end);
    const tagEnd = close < 0 ? html.length : close + 1;
    if (closing) {
      if (suppressed > 0) {
        suppressed--;
        cuts.push(i, tagEnd);
      } else if (depth > 0) depth--;
    } else if (html.charCodeAt(tagEnd - 2) !== 47) {
      // Not self-closing ("<x/>").
      if (depth >= maxDepth) {
        suppressed++;
        cuts.push(i, tagEnd);
      } else depth++;
    }
    i = tagEnd;
  }
  if (cuts.length === 0) return html;
  let out = '';
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out += html.slice(from, cuts[k]);
    from = cuts[k + 1]!;
  }
  return out + html.slice(from);
}
