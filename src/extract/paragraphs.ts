/**
 * From the body's elements to its paragraphs: block elements and <br> start new paragraphs,
 * inline content runs on, whitespace folds. Blocks that read as link lists (related stories,
 * tag clouds, "more" boxes) and the headline (<h1>, which is the title) are pruned on the way.
 * The paragraphs that are page furniture are dropped afterwards, by src/article/boilerplate-lines.ts.
 */
import { foldSpace } from '../normalize/whitespace.ts';
import { LINK_LIST_DENSITY, LINK_LIST_MAX_CHARS, MAX_BLOCK_LINK_DENSITY, MAX_TREE_DEPTH } from './boilerplate.ts';
import { type AnyNode, type Element, isElement, isText } from './page/dom.ts';
import { BLOCK_TAGS } from './page/tags.ts';
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
  const renderer = new ParagraphRenderer(stats);
  for (const root of roots) {
    renderer.visit(root, 0, true);
    renderer.flush();
  }
  return renderer.out;
}

/** The walk of renderParagraphs, as methods of a module-level class ("Hot walkers", index.ts). */
class ParagraphRenderer {
  readonly out: string[] = [];
  private buffer = '';

  private readonly stats: StatsMap;

  constructor(stats: StatsMap) {
    this.stats = stats;
  }

  flush(): void {
    const paragraph = foldSpace(this.buffer);
    if (paragraph !== '') this.out.push(paragraph);
    this.buffer = '';
  }

  visit(node: AnyNode, depth: number, isRoot: boolean): void {
    if (isText(node)) {
      this.buffer += node.data;
      return;
    }
    if (!isElement(node) || depth > MAX_TREE_DEPTH) return;
    if (node.name === 'br' || node.name === 'hr') {
      this.flush();
      return;
    }
    const block = BLOCK_TAGS.has(node.name);
    if (block) {
      if (!isRoot && isPrunedBlock(node, this.stats)) return;
      this.flush();
    }
    for (const child of node.children) this.visit(child, depth + 1, false);
    if (block) this.flush();
  }
}
