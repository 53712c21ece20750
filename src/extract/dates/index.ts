/**
 * The publication and modification dates of a page.
 *
 * Steps:
 *   1. machine-readable candidates: JSON-LD, meta tags, itemprop, <time datetime>, data-date;
 *   2. visible candidates: text lines scored by their label, their element and their distance
 *      from the headline (dates in comments, related lists, footers and "today" boxes lose);
 *      a date in the headline or <title>;
 *   3. the URL's date (from the given URL, else the canonical URL, else where a redirect stub
 *      points);
 *   4. pick (`best`): the strongest rank (RANK); within it the day most candidates agree on,
 *      then the day under the headline, then the earliest (the original, not an edit);
 *   5. fall back to the modification date, then to the date written most often anywhere in
 *      the markup (when one day clearly stands out);
 *   6. a UTC stamp is shown in the publisher's local time when the page gives that too, or in
 *      the one time zone the page's scripts declare.
 */
import type { CheerioAPI } from 'cheerio';
import type { NormalizedDate } from '../../normalize/date-text.ts';
import { dateFromUrl, monthFromUrl } from '../../normalize/url-date.ts';
import { indexPage, type PageIndex } from '../page/page-index.ts';
import { type Candidate, type DateCandidates, dayOf, type MachineDates, type PublicationDateOptions, type PublicationDates, RANK } from './candidate.ts';
import { collectDateAttributes, collectJsonLd, collectMarkedElements, collectMeta } from './machine-readable.ts';
import { mostFrequentDate } from './page-wide.ts';
import { pageUrl } from './page-url.ts';
import { isKnownTimeZone } from '../../normalize/time-zone.ts';
import { declaredTimeZone, inPublisherTime, shownDayOf, type ZoneEvidence } from './publisher-zone.ts';
import { best, bestLine, preferConfirmedSeenDate, preferUrlDay } from './ranking.ts';
import { collectTitles, collectVisible } from './visible-text.ts';

export type { Candidate, DateCandidates, PublicationDateOptions, PublicationDates } from './candidate.ts';

/**
 * Gather the candidates of steps 1-3. `index` is the document's {@link PageIndex}; pass it when
 * the caller has one (it is built otherwise).
 */
export function collectDateCandidates($: CheerioAPI, options: PublicationDateOptions, index: PageIndex = indexPage($)): DateCandidates {
  const machine: MachineDates = { published: [], modified: [] };
  collectJsonLd(index, machine, options);
  collectMeta(index, machine, options);
  collectMarkedElements(index, machine, options);
  const machineDays = new Set([...machine.published, ...machine.modified].map(dayOf));
  const visible = collectVisible(index.lines, options, machineDays);

  const published = [...machine.published, ...visible.published];
  collectTitles(index, published, options);
  collectDateAttributes(index, published, options);
  const url = pageUrl(index, options.url);
  const urlDate = url ? dateFromUrl(url, options) : null;
  if (urlDate) published.push({ date: urlDate, rank: RANK.url, score: 0, order: 0 });

  return { published, modified: [...machine.modified, ...visible.modified], weak: visible.weak };
}

/** The day (YYYY-MM-DD) of a date as shown, or null. */
function dayOfLocal(d: NormalizedDate | null): string | null {
  return d === null ? null : d.value.slice(0, 10);
}

/**
 * The weak lines in the month the URL gives without a day (a blog's /2011/12/slug), when any
 * is: the URL rules the others out. All of them otherwise.
 */
function inUrlMonth(weak: readonly Candidate[], url: string | null): readonly Candidate[] {
  const month = url === null ? null : monthFromUrl(url);
  if (month === null) return weak;
  const inMonth = weak.filter((c) => c.date.value.startsWith(month));
  return inMonth.length > 0 ? inMonth : weak;
}

/** The host of a URL, or null. */
function hostOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/**
 * The original publication date and the modification date of a page. `index` is the
 * document's {@link PageIndex}, shared with the story-code search; it is built when not given.
 *
 * The choice (step 4), then the fallbacks (step 5): the modification date, then the day most
 * often written in the markup, then the best of the weak visible lines. Each answer is shown in
 * the publisher's time (step 6), and a published day that contradicts the URL's day gives way
 * to it.
 */
export function findPublicationDates($: CheerioAPI, options: PublicationDateOptions, index: PageIndex = indexPage($)): PublicationDates {
  const candidates = collectDateCandidates($, options, index);
  const all = [...candidates.published, ...candidates.modified];
  const url = pageUrl(index, options.url);
  const profileZone = options.timeZone && isKnownTimeZone(options.timeZone) ? options.timeZone : null;
  const declared = profileZone === null ? declaredTimeZone(index) : null;
  const urlCandidate = candidates.published.find((c) => c.rank === RANK.url);
  const seen = best(candidates.published.filter((c) => c.rank === RANK.visibleText), all);
  const evidence: ZoneEvidence = {
    all,
    zone: profileZone ?? declared,
    zoneSource: profileZone !== null ? "the site profile's zone" : 'the zone the page declares',
    host: hostOf(url),
    shownDays: [
      ...(urlCandidate ? [shownDayOf(urlCandidate, `the URL's "${urlCandidate.date.raw}"`)] : []),
      ...(seen && seen.date.precision === 'day' ? [shownDayOf(seen, `the visible "${seen.date.raw}"`)] : []),
    ],
  };
  const local = (c: Candidate | null): NormalizedDate | null => (c === null ? null : inPublisherTime(c.date, evidence));

  const modified = best(candidates.modified, all);
  const machineChoice = best(candidates.published, all);
  const machineLocal = local(machineChoice);
  const chosen = preferConfirmedSeenDate(machineChoice, dayOfLocal(machineLocal), candidates.published, candidates.modified);
  const chosenLocal = chosen === machineChoice ? machineLocal : local(chosen);
  const published = preferUrlDay(chosen, dayOfLocal(chosenLocal), candidates.published);
  const publishedLocal = published === chosen ? chosenLocal : local(published);
  return {
    published: publishedLocal ?? local(modified) ?? local(mostFrequentDate($, options)) ?? local(bestLine(inUrlMonth(candidates.weak, url))),
    modified: local(modified),
  };
}
