/**
 * Step 2 of date finding: dates a reader sees. Text lines scored by their label, their element
 * and their distance from the headline (dates in comments, related lists, footers and "today"
 * boxes lose), and a date in the headline or <title>.
 */
import type { NormalizedDate } from '../../normalize/date-text.ts';
import { expandTwoDigitYear, parseDateText } from '../../normalize/date-text.ts';
import { ANY_DIGIT } from '../../normalize/digits.ts';
import { attributeOf, textOf } from '../page/dom.ts';
import type { PageIndex } from '../page/page-index.ts';
import type { PageLine } from '../page/visible-lines.ts';
import { addParsed, type Candidate, type MachineDates, type PublicationDateOptions, RANK } from './candidate.ts';
import { ANCESTOR_DEPTH, isInFurniture, marksOf } from './furniture.ts';
import { DATE_MARK, MODIFIED_MARK, NOT_ARTICLE_DATE_MARK, PUBLISHED_LABEL } from './vocabulary.ts';

/** A line much longer than its date is prose that mentions a date, not a date line. */
const MAX_DATE_LINE_LENGTH = 160;

/**
 * Longer lines are prose, but a short paragraph that says when it was posted ("Dieser Beitrag
 * wurde am Samstag, 3. Dezember 2011 veröffentlicht und unter … abgelegt") is still worth a weak
 * candidate, for a page with no other date.
 */
const MAX_WEAK_LINE_LENGTH = 400;
/** Lines this far (in lines) from the headline still count as "near" it. */
const NEAR_TITLE_LINES = 25;

/** Minimum score for a visible line to be a candidate. */
const MIN_LINE_SCORE = 3;

/** Characters before a date searched for its label ("Veröffentlicht am"). */
const LABEL_WINDOW = 30;

/** Index of the headline's line: the first <h1>, else the first heading. */
function titleLineIndex(lines: readonly PageLine[]): number | null {
  for (const tag of ['h1', 'h2']) {
    const line = lines.find((l) => l.block?.name === tag);
    if (line) return line.index;
  }
  return null;
}

/**
 * Points a visible date line earns or loses. {@link MIN_LINE_SCORE} is the bar: a bare date
 * line far from the headline needs a mark or a label to reach it, and a date in furniture
 * does not reach it whatever else it has.
 */
const LINE_POINTS = {
  /** The line's element or its ancestors are named for a date or byline ("post-date", "datum"). */
  dateMark: 3,
  /** The date is inside a <time> element: written to be read as the date. */
  timeElement: 2,
  /** A label just before the date ("Veröffentlicht am", "Posted on", "تاریخ انتشار"). */
  label: 2,
  /** The line is mostly the date itself (see {@link DATE_ONLY_SLACK_CHARS}): a date line, not prose. */
  dateOnlyLine: 2,
  /** At most this much for being right under the headline, falling to 0 at {@link NEAR_TITLE_LINES}. */
  nearTitleMax: 3,
  /** Farther than {@link NEAR_TITLE_LINES} from the headline: more likely another item's date. */
  farFromTitle: -1,
  /**
   * Above the headline: the article's own date sits under its headline (or in a header block
   * with it), while a site header above it often prints today's date; breaks the tie between two.
   */
  aboveTitle: -1,
  /** In comments, related lists, sidebars, footers, teasers: another item's date (outweighs every gain but two). */
  furniture: -6,
  /** Named for today's date, a clock, a calendar or an archive: not the article's date. */
  notArticleDate: -6,
} as const;

/** Characters a line may hold beyond its date and still be a date line ("Posted by Jane Doe on …"). */
const DATE_ONLY_SLACK_CHARS = 45;

function scoreLine(line: PageLine, date: NormalizedDate, titleIndex: number | null): number {
  let score = 0;
  const marks = `${marksOf(line.first, ANCESTOR_DEPTH)} ${marksOf(line.block, 2)}`;
  if (DATE_MARK.test(marks)) score += LINE_POINTS.dateMark;
  if (line.first?.name === 'time') score += LINE_POINTS.timeElement;
  const before = line.text.slice(0, Math.max(0, line.text.indexOf(date.raw)));
  if (PUBLISHED_LABEL.test(before.slice(-LABEL_WINDOW))) score += LINE_POINTS.label;
  if (line.text.length <= date.raw.length + DATE_ONLY_SLACK_CHARS) score += LINE_POINTS.dateOnlyLine;
  if (titleIndex !== null) {
    const distance = Math.abs(line.index - titleIndex);
    if (distance <= NEAR_TITLE_LINES) {
      score += LINE_POINTS.nearTitleMax - Math.floor((distance * LINE_POINTS.nearTitleMax) / (NEAR_TITLE_LINES + 1));
    } else score += LINE_POINTS.farFromTitle;
    if (line.index < titleIndex) score += LINE_POINTS.aboveTitle;
  }
  if (isInFurniture(line.first ?? line.block)) score += LINE_POINTS.furniture;
  if (NOT_ARTICLE_DATE_MARK.test(marks)) score += LINE_POINTS.notArticleDate;
  return score;
}

/**
 * A line's date; an all-numeric date that reads both ways ("11/08/2023": 11 August or
 * November 8) is read the way a machine-readable date of the page confirms, when exactly one
 * reading is confirmed (else as the separator and the site profile say).
 */
function agreeingReading(text: string, options: PublicationDateOptions, machineDays: ReadonlySet<string>): NormalizedDate | null {
  const parsed = parseDateText(text, options);
  if (parsed === null || options.dayFirst != null || machineDays.size === 0 || machineDays.has(parsed.value.slice(0, 10))) return parsed;
  const dayFirst = parseDateText(text, { ...options, dayFirst: true });
  const monthFirst = parseDateText(text, { ...options, dayFirst: false });
  for (const other of [dayFirst, monthFirst]) {
    if (other !== null && other.raw === parsed.raw && machineDays.has(other.value.slice(0, 10))) return other;
  }
  return parsed;
}

/**
 * Dated lines, scored. Lines that reach {@link MIN_LINE_SCORE} are candidates; the others go to
 * `weak`: the last resort of a page with no other date (a blog's date header with no class,
 * the newest post's date on a blog's front page). Furniture lines keep their low score there,
 * so any other line comes first.
 */
export function collectVisible(
  lines: readonly PageLine[], options: PublicationDateOptions, machineDays: ReadonlySet<string> = new Set(),
): MachineDates & { weak: Candidate[] } {
  const out: MachineDates & { weak: Candidate[] } = { published: [], modified: [], weak: [] };
  const titleIndex = titleLineIndex(lines);
  for (const line of lines) {
    if (line.text.length > MAX_WEAK_LINE_LENGTH || !ANY_DIGIT.test(line.text)) continue;
    const long = line.text.length > MAX_DATE_LINE_LENGTH;
    const expanded = expandTwoDigitYear(line.text, options.now);
    const parsed = agreeingReading(expanded ?? line.text, options, machineDays);
    if (!parsed) continue;
    // The raw text stays as the page wrote it ("31.10.23").
    const date = expanded === null ? parsed : { ...parsed, raw: line.text };
    const score = scoreLine(line, date, titleIndex);
    if (score < MIN_LINE_SCORE || long) {
      out.weak.push({ date, rank: RANK.weakVisibleText, score, order: line.index });
      continue;
    }
    const target = MODIFIED_MARK.test(line.text) || MODIFIED_MARK.test(marksOf(line.first, 2)) ? out.modified : out.published;
    target.push({ date, rank: RANK.visibleText, score, order: line.index });
  }
  return out;
}

export function collectTitles(index: PageIndex, out: Candidate[], options: PublicationDateOptions): void {
  const titles = [index.h1 ? textOf(index.h1) : '', index.title ? textOf(index.title) : '', attributeOf(index.ogTitle, 'content')];
  for (const t of titles) addParsed(out, t, RANK.title, options);
}
