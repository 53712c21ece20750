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
import { dateFromUrl } from '../../normalize/url-date.ts';
import { indexPage, type PageIndex } from '../page/page-index.ts';
import { type DateCandidates, type MachineDates, type PublicationDateOptions, type PublicationDates, RANK } from './candidate.ts';
import { collectDateAttributes, collectJsonLd, collectMarkedElements, collectMeta } from './machine-readable.ts';
import { mostFrequentDate } from './page-wide.ts';
import { pageUrl } from './page-url.ts';
import { declaredTimeZone, inPublisherTime, inZone, isUtcStamp } from './publisher-zone.ts';
import { best } from './ranking.ts';
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
  const visible = collectVisible(index.lines, options);

  const published = [...machine.published, ...visible.published];
  collectTitles(index, published, options);
  collectDateAttributes(index, published, options);
  const url = pageUrl(index, options.url);
  const urlDate = url ? dateFromUrl(url, options) : null;
  if (urlDate) published.push({ date: urlDate, rank: RANK.url, score: 0, order: 0 });

  return { published, modified: [...machine.modified, ...visible.modified] };
}

/**
 * The original publication date and the modification date of a page. `index` is the
 * document's {@link PageIndex}, shared with `findStoryCode`; it is built when not given.
 */
export function findPublicationDates($: CheerioAPI, options: PublicationDateOptions, index: PageIndex = indexPage($)): PublicationDates {
  const candidates = collectDateCandidates($, options, index);
  const all = [...candidates.published, ...candidates.modified];
  const modified = best(candidates.modified, all);
  const published = best(candidates.published, all) ?? modified ?? mostFrequentDate($, options);
  const zone = options.timeZone ? null : declaredTimeZone(index);
  const local = (d: NormalizedDate): NormalizedDate => {
    const shown = inPublisherTime(d, all);
    return zone && shown === d && isUtcStamp(d) ? inZone(d, zone) : shown;
  };
  return {
    published: published ? local(published.date) : null,
    modified: modified ? local(modified.date) : null,
  };
}
