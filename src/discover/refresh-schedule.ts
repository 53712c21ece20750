/**
 * When a stored article is checked again: recently published articles are corrected and
 * updated, old ones rarely are, so checks follow a decaying schedule counted from publication
 * (REFRESH_SCHEDULE, by default 1 h, 6 h, 24 h and 7 days after), then never. Pure.
 */

/**
 * The next check after `lastFetchedAt`: the first `reference + offset` later than it, or null
 * when the schedule is over. `reference` is the publication instant, or when the article was
 * first stored when the page gives no date.
 */
export function nextRefreshAt(reference: Date, lastFetchedAt: Date, offsetsMs: readonly number[]): Date | null {
  for (const offset of offsetsMs) {
    const due = reference.getTime() + offset;
    if (due > lastFetchedAt.getTime()) return new Date(due);
  }
  return null;
}

/**
 * Whether a link the source lists again is worth a re-fetch now: the source says it changed
 * after our last fetch (sitemap lastmod, Atom updated), or its scheduled check is due.
 */
export function refreshIsDue(
  known: { fetchedAt: string | null; nextFetchAt: string | null },
  updatedAt: string | null,
  now: Date,
): boolean {
  const fetched = known.fetchedAt === null ? null : Date.parse(known.fetchedAt);
  if (updatedAt !== null && fetched !== null && Date.parse(updatedAt) > fetched) return true;
  return known.nextFetchAt !== null && Date.parse(known.nextFetchAt) <= now.getTime();
}
