/**
 * The last resort of date finding: the day written most often anywhere in the markup.
 */
import type { CheerioAPI } from 'cheerio';
import { type NormalizedDate, parseDateText } from '../../normalize/date-text.ts';
import { type Candidate, type PublicationDateOptions, RANK } from './candidate.ts';

/** Full numeric dates anywhere in the markup: 2020-04-17, 2020/04/17, 17.04.2020. */
const PAGE_WIDE_DATE = /(?<![\d.\/])(?:(?:19|20)\d{2}[-/](?:0[1-9]|1[0-2])[-/](?:0[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)\d{2})(?![\d.\/-]?\d)/g;

/** Markup longer than this is only searched in its first part (time, not accuracy). */
const PAGE_WIDE_MAX_CHARS = 2_000_000;

/**
 * The day written most often in the page's markup, or null when no day stands out (two days
 * written equally often are a list of other items' dates, and a coin toss between them is
 * more often wrong than right).
 */
export function mostFrequentDate($: CheerioAPI, options: PublicationDateOptions): Candidate | null {
  const html = ($.html() ?? '').slice(0, PAGE_WIDE_MAX_CHARS);
  const counts = new Map<string, { date: NormalizedDate; n: number }>();
  for (const m of html.matchAll(PAGE_WIDE_DATE)) {
    const date = parseDateText(m[0], { ...options, dayFirst: true });
    if (!date) continue;
    const entry = counts.get(date.value) ?? { date, n: 0 };
    entry.n += 1;
    counts.set(date.value, entry);
  }
  const ranked = [...counts.values()].sort((a, b) => b.n - a.n);
  const [top, second] = ranked;
  if (!top || (second && second.n === top.n)) return null;
  return { date: top.date, rank: RANK.pageWide, score: 0, order: 0 };
}
