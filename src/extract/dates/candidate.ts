/**
 * A date candidate: a date found somewhere on the page, with how much that place is trusted
 * (its rank) and, for visible lines, its score. The ranks read in one place here.
 */
import type { NormalizedDate, ParseDateOptions } from '../../normalize/date-text.ts';
import { parseDateText } from '../../normalize/date-text.ts';

export interface PublicationDateOptions {
  url?: string | null;
  timeZone?: string | null;
  dayFirst?: boolean | null;
  now: Date;
}

export interface PublicationDates {
  published: NormalizedDate | null;
  modified: NormalizedDate | null;
}

/** Source strength: lower wins. Named so the order of trust reads in one place. */
export const RANK = {
  /** JSON-LD datePublished of an Article-like item; article:published_time and its kin. */
  articleMetadata: 1,
  /** itemprop=datePublished in the body; <time pubdate> or <time class="published">. */
  markedElement: 2,
  /** Dates of a WebPage/WebSite item in JSON-LD; generic meta names ("date", "dc.date"). */
  genericMetadata: 3,
  /** A visible text line that scored well. */
  visibleText: 4,
  /** A date in the headline or the document title ("Bericht zur Lage vom 22.04.2020"). */
  title: 5,
  /** The day in the page's URL. */
  url: 6,
  /** Any <time datetime> element outside page furniture. */
  anyTimeElement: 7,
  /** A visible dated line that scored below the bar: only when the page has no other date. */
  weakVisibleText: 9,
  /** The most frequent date anywhere in the markup (scripts, attributes): the last resort. */
  pageWide: 10,
} as const;

export interface Candidate {
  date: NormalizedDate;
  rank: number;
  /** Within a rank, higher wins before the earliest-day rule (visible lines only). */
  score: number;
  /** Document order, for a stable choice. */
  order: number;
}

export interface MachineDates {
  published: Candidate[];
  modified: Candidate[];
}

/** Every candidate found, before the choice (for debugging and tests). */
export interface DateCandidates {
  published: Candidate[];
  modified: Candidate[];
  /** Visible dated lines that scored too low to be candidates: used when nothing else is found. */
  weak: Candidate[];
}

export function addParsed(list: Candidate[], value: string | undefined | null, rank: number, options: PublicationDateOptions, score = 0): void {
  if (!value) return;
  const date = parseDateText(value, options);
  if (date) list.push({ date, rank, score, order: list.length });
}

export function dayOf(c: Candidate): string {
  return c.date.value.slice(0, 10);
}
