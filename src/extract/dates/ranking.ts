/**
 * Step 4 of date finding: the choice among candidates.
 */
import { type Candidate, dayOf, RANK } from './candidate.ts';

/** The best visible line: the highest score, then the first in the document. */
export function bestLine(lines: readonly Candidate[]): Candidate | null {
  if (lines.length === 0) return null;
  return lines.reduce((a, b) => (b.score > a.score || (b.score === a.score && b.order < a.order) ? b : a));
}

/**
 * The strongest rank wins. Among machine-readable candidates of that rank: the day most of
 * them agree on; then the day of the best visible line (what a reader sees under the
 * headline); then the day most candidates of any rank agree on (`support`); then the earliest
 * day (the original publication, not an edit).
 */
export function best(candidates: readonly Candidate[], support: readonly Candidate[]): Candidate | null {
  if (candidates.length === 0) return null;
  const topRank = Math.min(...candidates.map((c) => c.rank));
  const top = candidates.filter((c) => c.rank === topRank);
  if (topRank === RANK.visibleText) return bestLine(top);
  const count = (list: readonly Candidate[]): Map<string, number> => {
    const votes = new Map<string, number>();
    for (const c of list) votes.set(dayOf(c), (votes.get(dayOf(c)) ?? 0) + 1);
    return votes;
  };
  const votes = count(top);
  const allVotes = count(support);
  const seen = bestLine(support.filter((c) => c.rank === RANK.visibleText));
  const seenDay = seen ? dayOf(seen) : null;
  return top.reduce((a, b) => {
    const [da, db] = [dayOf(a), dayOf(b)];
    if (votes.get(db) !== votes.get(da)) return (votes.get(db) ?? 0) > (votes.get(da) ?? 0) ? b : a;
    if (seenDay !== null && (da === seenDay) !== (db === seenDay)) return db === seenDay ? b : a;
    if (allVotes.get(db) !== allVotes.get(da)) return (allVotes.get(db) ?? 0) > (allVotes.get(da) ?? 0) ? b : a;
    if (db !== da) return db < da ? b : a;
    // Same day: the one that says more (a time and an offset).
    return b.date.value.length > a.date.value.length ? b : a;
  });
}

/**
 * A full day in the page's own URL (/2017/07/12/…) is the day the publisher filed the article
 * under: it is written once, when the article is created, and never follows a later update or
 * a re-stamped metadata date. htmldate trusts it before anything else (Barbaresi, htmldate
 * core.py, Apache-2.0: the idea only, not its code). When the chosen day differs from it, the
 * strongest candidate of the URL's day is taken instead, or the URL's day itself.
 */
export function preferUrlDay(chosen: Candidate | null, chosenDay: string | null, candidates: readonly Candidate[]): Candidate | null {
  const url = candidates.find((c) => c.rank === RANK.url);
  if (url === undefined || chosen === null || chosenDay === dayOf(url)) return chosen;
  const urlDay = dayOf(url);
  const sameDay = candidates.filter((c) => dayOf(c) === urlDay && c.rank !== RANK.url);
  if (sameDay.length === 0) return url;
  return sameDay.reduce((a, b) => (b.rank < a.rank || (b.rank === a.rank && b.date.value.length > a.date.value.length) ? b : a));
}

/** A visible line scoring this much sits under the headline, marked or labelled as the date (see LINE_POINTS). */
const SEEN_DATE_MIN_SCORE = 8;

/**
 * The date the page shows under its headline, when it differs from the chosen machine-readable
 * published date: taken over generic metadata, and over article metadata when a machine
 * modification date confirms it (the story was re-published, or its draft created long before,
 * and the day the publisher presents it under is the shown one). Without that confirmation the
 * article metadata stays (a visible date alone is as often a teaser's or today's).
 */
export function preferConfirmedSeenDate(
  chosen: Candidate | null, chosenDay: string | null, published: readonly Candidate[], modified: readonly Candidate[],
): Candidate | null {
  if (chosen === null || chosen.rank > RANK.genericMetadata) return chosen;
  const seen = bestLine(published.filter((c) => c.rank === RANK.visibleText));
  if (seen === null || seen.score < SEEN_DATE_MIN_SCORE || dayOf(seen) === chosenDay) return chosen;
  // Generic metadata ("date", a WebPage's datePublished) only usually means the article's date:
  // the date the page shows under its headline outweighs it without confirmation.
  if (chosen.rank === RANK.genericMetadata) return seen;
  const seenDay = dayOf(seen);
  return modified.some((c) => c.rank <= RANK.genericMetadata && dayOf(c) === seenDay) ? seen : chosen;
}
