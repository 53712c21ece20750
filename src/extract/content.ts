/**
 * Finding the article body in a cleaned document, by scoring (after Readability's algorithm,
 * on the htmlparser2 tree): every paragraph credits its ancestors with points for length and
 * clause separators; a container's points are discounted by its link density and shifted by
 * its class/id hints; the best container, widened to the ancestor that holds several close
 * rivals, plus the siblings that score well, is the body.
 *
 * Ideas, not code, from Mozilla Readability (Apache-2.0: the scoring, the parent climb, sibling
 * paragraphs) and trafilatura (Apache-2.0: taking the whole container of an article that a page
 * builder splits into blocks, rather than its best block).
 */
import {
  ALTERNATIVE_CANDIDATE_SHARE, CHARS_PER_POINT, CLASS_WEIGHT_NEGATIVE, CLASS_WEIGHT_POSITIVE,
  CLIMB_MAX_LINK_DENSITY, CLIMB_MIN_PROSE_GAIN,
  MAX_LENGTH_POINTS, MAX_TREE_DEPTH, MIN_ALTERNATIVE_CANDIDATES, MIN_PARAGRAPH_CHARS, SCORE_ANCESTOR_LEVELS,
  SIBLING_MIN_PROSE_PARAGRAPHS, SIBLING_MIN_PROSE_SHARE, SIBLING_MIN_SCORE,
  SIBLING_PARAGRAPH_MAX_LINK_DENSITY, SIBLING_PROSE_BLOCK_SHARE, SIBLING_PROSE_MAX_LINK_DENSITY, SIBLING_PARAGRAPH_MIN_CHARS,
  SIBLING_SCORE_SHARE, TAG_INITIAL_SCORE, TOP_CANDIDATES,
} from './boilerplate.ts';
import { BOILERPLATE_CLASS_ID, CONTENT_CLASS_ID, LONG_FURNITURE_CLASS_ID } from './page/chrome.ts';
import { BLOCK_TAGS } from './page/tags.ts';
import { type AnyNode, type Element, type ParentNode, classAndId, isElement, isText } from './page/dom.ts';
import { hintsOf } from './clean.ts';
import { type StatsMap, type TextStats, countCommas, isParagraphLike, isTeaserList, linkDensity } from './stats.ts';

/** Class/id weight of a candidate: positive for content words, negative for boilerplate words. */
export function classWeight(el: Element): number {
  const hints = hintsOf(el);
  if (hints === '') return 0;
  let weight = 0;
  if (CONTENT_CLASS_ID.test(hints)) weight += CLASS_WEIGHT_POSITIVE;
  if (BOILERPLATE_CLASS_ID.test(hints)) weight += CLASS_WEIGHT_NEGATIVE;
  return weight;
}

function paragraphPoints(chars: number, commas: number): number {
  return 1 + commas + Math.min(Math.floor(chars / CHARS_PER_POINT), MAX_LENGTH_POINTS);
}

/** Raw (undiscounted) scores of the containers that received points. */
function scoreContainers(root: ParentNode, stats: StatsMap): Map<Element, number> {
  const scorer = new ContainerScorer(stats);
  scorer.visit(root, 0);
  return scorer.scores;
}

/** The walk of scoreContainers, as methods of a module-level class ("Hot walkers", index.ts). */
class ContainerScorer {
  readonly scores = new Map<Element, number>();

  private readonly stats: StatsMap;

  constructor(stats: StatsMap) {
    this.stats = stats;
  }

  /** Gives a paragraph's points to the container it is in and, divided, to its ancestors. */
  credit(start: ParentNode | null, points: number): void {
    let node = start;
    for (let level = 0; level < SCORE_ANCESTOR_LEVELS && node !== null && isElement(node as AnyNode); level++) {
      const el = node as Element;
      let current = this.scores.get(el);
      if (current === undefined) current = (TAG_INITIAL_SCORE[el.name] ?? 0) + classWeight(el);
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      this.scores.set(el, current + points / divider);
      node = el.parent;
    }
  }

  /** A run of inline content of at least MIN_PARAGRAPH_CHARS is a paragraph of its container. */
  creditRun(el: ParentNode, chars: number, commas: number): void {
    if (chars >= MIN_PARAGRAPH_CHARS) this.credit(el, paragraphPoints(chars, commas));
  }

  visit(el: ParentNode, depth: number): void {
    if (depth > MAX_TREE_DEPTH) return;
    // Runs of inline content directly inside a container are paragraphs of that container.
    let runChars = 0;
    let runCommas = 0;
    for (const child of el.children) {
      if (isText(child)) {
        const text = child.data;
        if (text.trim() === '') continue;
        runChars += text.length;
        runCommas += countCommas(text);
        continue;
      }
      if (!isElement(child)) continue;
      const s = this.stats.get(child);
      if (s === undefined) continue;
      if (!BLOCK_TAGS.has(child.name) && !s.hasBlockChild) {
        runChars += s.chars;
        runCommas += s.commas;
        continue;
      }
      this.creditRun(el, runChars, runCommas);
      runChars = 0;
      runCommas = 0;
      if (isParagraphLike(child, s)) {
        if (s.chars >= MIN_PARAGRAPH_CHARS) this.credit(el, paragraphPoints(s.chars, s.commas));
      } else {
        this.visit(child, depth + 1);
      }
    }
    this.creditRun(el, runChars, runCommas);
  }
}

function finalScore(el: Element, raw: number, stats: StatsMap): number {
  return raw * (1 - linkDensity(stats.get(el)));
}

/**
 * The body: the chosen container and the siblings that belong with it, in document order.
 * Empty when nothing in the document reads as prose.
 */
export function findMainContent(root: ParentNode, body: Element | null, stats: StatsMap): Element[] {
  const raw = scoreContainers(root, stats);
  const scored: { el: Element; score: number }[] = [];
  for (const [el, score] of raw) scored.push({ el, score: finalScore(el, score, stats) });
  if (scored.length === 0) return body === null ? [] : [body];
  scored.sort((a, b) => b.score - a.score);
  const top = scored.slice(0, TOP_CANDIDATES);
  let candidate = top[0]!.el;
  const score = (el: Element): number | undefined => {
    const r = raw.get(el);
    return r === undefined ? undefined : finalScore(el, r, stats);
  };

  candidate = widenToCommonAncestor(candidate, top, body);
  candidate = climbWhileScoreHolds(candidate, score, body);
  candidate = climbSingleChildWrappers(candidate, body);
  candidate = climbToTheWholeProse(candidate, body, stats);
  return withSiblings(candidate, score, stats);
}

/**
 * The article split over several blocks that each score on their own (page builders' columns,
 * a letter in a table followed by paragraphs): an ancestor that holds clearly more prose than the
 * winner, with few links, holds the rest of the article too. Its scores cannot show it, since a
 * paragraph's points reach only {@link SCORE_ANCESTOR_LEVELS} levels up. The climb stops at the
 * first ancestor that is link-heavy (a page region with navigation or teasers).
 */
function climbToTheWholeProse(winner: Element, body: Element | null, stats: StatsMap): Element {
  let candidate = winner;
  let prose = stats.get(winner)?.proseChars ?? 0;
  if (prose === 0) return winner;
  for (let node = winner.parent; node !== null && node !== body && isElement(node as AnyNode); node = node.parent) {
    const s = stats.get(node as Element);
    if (s === undefined || linkDensity(s) > CLIMB_MAX_LINK_DENSITY) break;
    if (s.proseChars >= prose * (1 + CLIMB_MIN_PROSE_GAIN)) {
      candidate = node as Element;
      prose = s.proseChars;
    }
  }
  return candidate;
}

/** A winner that is its parent's only element child is the same block as the parent: take the parent, whose siblings are the real neighbours. */
function climbSingleChildWrappers(winner: Element, body: Element | null): Element {
  let candidate = winner;
  while (candidate.parent !== null && candidate.parent !== body && isElement(candidate.parent as AnyNode)) {
    const parent = candidate.parent as Element;
    if (parent.children.filter(isElement).length !== 1) break;
    candidate = parent;
  }
  return candidate;
}

/** When several close rivals of the winner sit under one ancestor, the article spans them all. */
function widenToCommonAncestor(winner: Element, top: { el: Element; score: number }[], body: Element | null): Element {
  const threshold = (top[0]?.score ?? 0) * ALTERNATIVE_CANDIDATE_SHARE;
  const rivals = top.slice(1).filter((c) => c.score >= threshold).map((c) => c.el);
  if (rivals.length < MIN_ALTERNATIVE_CANDIDATES) return winner;
  let ancestor: ParentNode | null = winner.parent;
  while (ancestor !== null && ancestor !== body && isElement(ancestor as AnyNode)) {
    const contained = rivals.filter((r) => contains(ancestor as Element, r)).length;
    if (contained >= MIN_ALTERNATIVE_CANDIDATES) return ancestor as Element;
    ancestor = ancestor.parent;
  }
  return winner;
}

function contains(ancestor: Element, node: AnyNode): boolean {
  let current: ParentNode | null = node.parent;
  while (current !== null) {
    if (current === ancestor) return true;
    current = current.parent;
  }
  return false;
}

/** Readability's climb: a parent scoring more than the child holds more of the article. */
function climbWhileScoreHolds(winner: Element, score: (el: Element) => number | undefined, body: Element | null): Element {
  let lastScore = score(winner) ?? 0;
  const threshold = lastScore / 3;
  let parent: ParentNode | null = winner.parent;
  while (parent !== null && parent !== body && isElement(parent as AnyNode)) {
    const parentScore = score(parent as Element);
    if (parentScore !== undefined) {
      if (parentScore < threshold) break;
      if (parentScore > lastScore) return parent as Element;
      lastScore = parentScore;
    }
    parent = parent.parent;
  }
  return winner;
}

function holdsComparableProse(s: TextStats, winner: TextStats | undefined): boolean {
  return (
    winner !== undefined &&
    s.proseParagraphs >= SIBLING_MIN_PROSE_PARAGRAPHS &&
    s.proseChars >= winner.proseChars * SIBLING_MIN_PROSE_SHARE &&
    linkDensity(s) < SIBLING_PROSE_MAX_LINK_DENSITY
  );
}

/**
 * A sibling that is mostly prose with few links, however deep its paragraphs sit: the lead
 * paragraph in a box of its own above the body, one more text block of a page made of several
 * (Readability adds sibling paragraphs; this extends the rule to wrapped ones). Not an author's
 * bio or a caption ({@link LONG_FURNITURE_CLASS_ID}), which are prose too.
 */
function isProseBlock(el: Element, s: TextStats): boolean {
  return !LONG_FURNITURE_CLASS_ID.test(classAndId(el)) && s.proseParagraphs > 0 && s.proseChars >= s.chars * SIBLING_PROSE_BLOCK_SHARE && linkDensity(s) < SIBLING_PROSE_MAX_LINK_DENSITY;
}

/** The winner plus siblings that score near it or read as prose paragraphs. */
function withSiblings(winner: Element, score: (el: Element) => number | undefined, stats: StatsMap): Element[] {
  const parent = winner.parent;
  if (parent === null) return [winner];
  const winnerScore = score(winner) ?? 0;
  const threshold = Math.max(SIBLING_MIN_SCORE, winnerScore * SIBLING_SCORE_SHARE);
  const winnerClass = winner.attribs['class'] ?? '';
  const winnerStats = stats.get(winner);
  const out: Element[] = [];
  for (const sibling of parent.children) {
    if (!isElement(sibling)) continue;
    if (sibling === winner) {
      out.push(sibling);
      continue;
    }
    const s = stats.get(sibling);
    if (s === undefined || s.chars === 0 || isTeaserList(s)) continue;
    let siblingScore = score(sibling) ?? 0;
    if (winnerClass !== '' && sibling.attribs['class'] === winnerClass) siblingScore += winnerScore * SIBLING_SCORE_SHARE;
    if (siblingScore >= threshold || holdsComparableProse(s, winnerStats) || isProseBlock(sibling, s)) {
      out.push(sibling);
      continue;
    }
    if (isParagraphLike(sibling, s)) {
      const density = linkDensity(s);
      if (s.chars >= SIBLING_PARAGRAPH_MIN_CHARS && density < SIBLING_PARAGRAPH_MAX_LINK_DENSITY) out.push(sibling);
    }
  }
  return out;
}
