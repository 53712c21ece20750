/**
 * Caps on the article's short fields. A page can put anything in its `<title>` or its meta
 * description (a 1 MB `<title>` was stored whole), and those fields go into every listing, every
 * JSON line and the full-text index. The body text is bounded by the page size; these are bounded
 * here, where the article is assembled.
 */

/**
 * Longest title kept, in characters. Headlines run to about 150 characters; the longest title of
 * the 720 extraction and date benchmark pages is 191. 1,000 keeps every real one whole.
 */
export const MAX_TITLE_CHARS = 1_000;

/**
 * Longest description kept, in characters. Meta descriptions are a sentence or two, but some
 * sites put the whole story there: the longest of the 720 benchmark pages is 4,387 characters.
 * 10,000 keeps those whole and still bounds a runaway one.
 */
export const MAX_DESCRIPTION_CHARS = 10_000;

/** Marks a field that was cut. */
const ELLIPSIS = '…';

/**
 * The text, or its first `max` characters ending in "…" when it is longer: cut at the last space
 * in the final fifth when there is one, never inside a surrogate pair.
 */
export function capLength(text: string | null, max: number): string | null {
  if (text === null || text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const space = text.lastIndexOf(' ', end);
  if (space > end * 0.8) end = space;
  else if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
