/**
 * From the body's elements to its paragraphs: block elements and <br> start new paragraphs,
 * inline content runs on, whitespace folds. Blocks that read as link lists (related stories,
 * tag clouds, "more" boxes) and the headline (<h1>, which is the title) are pruned on the way.
 * Then the paragraphs that are page furniture ({@link BOILERPLATE_LINES}) are dropped.
 */
import {
  BLOCK_TAGS, BOILERPLATE_LINE_MAX_CHARS, BOILERPLATE_LINES, END_OF_ARTICLE_HEADINGS, EUROPEAN_BOILERPLATE_LINES,
  LINK_LIST_DENSITY, LINK_LIST_MAX_CHARS, MAX_BLOCK_LINK_DENSITY, MAX_TREE_DEPTH, TAIL_MAX_PARAGRAPH_CHARS,
  TAIL_MIN_PARAGRAPHS_BEFORE, TRAILING_BOILERPLATE_LINES,
} from './boilerplate.ts';
import { type AnyNode, type Element, foldSpace, isElement, isText } from './dom.ts';
import { type StatsMap, isTeaserList, linkDensity } from './stats.ts';

/** Blocks dropped from inside the body: link lists and the headline. */
function isPrunedBlock(el: Element, stats: StatsMap): boolean {
  if (el.name === 'h1') return true;
  if (el.name === 'figcaption' || el.name === 'figure') return true;
  const s = stats.get(el);
  if (s === undefined) return false;
  if (isTeaserList(s)) return true;
  const density = linkDensity(s);
  if (density > LINK_LIST_DENSITY) return true;
  // A paragraph with a linked clause is still a paragraph: only nearly all-link ones go (above).
  if (el.name === 'p') return false;
  if ((el.name === 'ul' || el.name === 'ol') && density > MAX_BLOCK_LINK_DENSITY) return true;
  return density > MAX_BLOCK_LINK_DENSITY && s.chars < LINK_LIST_MAX_CHARS;
}

/** The paragraphs of the body elements, in order, before furniture lines are dropped. */
export function renderParagraphs(roots: readonly Element[], stats: StatsMap): string[] {
  const out: string[] = [];
  let buffer = '';
  const flush = (): void => {
    const paragraph = foldSpace(buffer);
    if (paragraph !== '') out.push(paragraph);
    buffer = '';
  };
  const visit = (node: AnyNode, depth: number, isRoot: boolean): void => {
    if (isText(node)) {
      buffer += node.data;
      return;
    }
    if (!isElement(node) || depth > MAX_TREE_DEPTH) return;
    if (node.name === 'br' || node.name === 'hr') {
      flush();
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) {
      if (!isRoot && isPrunedBlock(node, stats)) return;
      flush();
    }
    for (const child of node.children) visit(child, depth + 1, false);
    if (block) flush();
  };
  for (const root of roots) {
    visit(root, 0, true);
    flush();
  }
  return out;
}

/** The reason a paragraph is furniture, or null when it is text. */
export function boilerplateReason(paragraph: string, extra: readonly RegExp[] = []): string | null {
  if (paragraph.length > BOILERPLATE_LINE_MAX_CHARS) return null;
  for (const { pattern, reason } of BOILERPLATE_LINES) if (pattern.test(paragraph)) return reason;
  for (const { pattern, reason } of EUROPEAN_BOILERPLATE_LINES) if (pattern.test(paragraph)) return reason;
  for (const pattern of extra) if (pattern.test(paragraph)) return `profile pattern ${pattern.source}`;
  return null;
}

/** Whether a paragraph is furniture when it closes the body (a URL printed under the article). */
export function isTrailingBoilerplate(paragraph: string): boolean {
  return paragraph.length <= BOILERPLATE_LINE_MAX_CHARS && TRAILING_BOILERPLATE_LINES.some(({ pattern }) => pattern.test(paragraph));
}

export interface DropOptions {
  /** The headline: a first paragraph repeating it is dropped. */
  title?: string | null;
  /** The site profile's own furniture patterns. */
  extra?: readonly RegExp[];
  /** Recognises date lines (src/normalize's date parser, in the site's time zone). */
  isDateLine?: (paragraph: string) => boolean;
}

/**
 * Where the furniture at the end of the body starts: the first end-of-article heading ("Related
 * articles", "Über den Autor", "Pressekontakt") past the first paragraphs after which nothing long
 * follows; the length of the body when there is none.
 */
export function tailStart(paragraphs: readonly string[]): number {
  let allShortFrom = paragraphs.length;
  while (allShortFrom > 0 && paragraphs[allShortFrom - 1]!.length <= TAIL_MAX_PARAGRAPH_CHARS) allShortFrom--;
  for (let i = Math.max(allShortFrom - 1, TAIL_MIN_PARAGRAPHS_BEFORE); i < paragraphs.length; i++) {
    const p = paragraphs[i]!;
    if (p.length <= BOILERPLATE_LINE_MAX_CHARS && END_OF_ARTICLE_HEADINGS.some((pattern) => pattern.test(p))) return i;
  }
  return paragraphs.length;
}

/** Drops furniture paragraphs, date lines, the furniture at the end, and a first paragraph that repeats the title. */
export function dropBoilerplate(paragraphs: readonly string[], options: DropOptions = {}): string[] {
  const { title = null, extra = [], isDateLine } = options;
  const kept = paragraphs.slice(0, tailStart(paragraphs)).filter(
    (p) => /[\p{L}\p{N}]/u.test(p) && boilerplateReason(p, extra) === null && !(isDateLine?.(p) ?? false),
  );
  while (kept.length > 0 && isTrailingBoilerplate(kept[kept.length - 1]!)) kept.pop();
  if (title !== null && kept.length > 1 && kept[0] === title) kept.shift();
  return kept;
}
