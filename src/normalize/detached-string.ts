/**
 * Strings that outlive the page they were read from.
 *
 * V8 keeps a substring of 13 or more characters (from slice, substring, a regular expression's
 * match, or htmlparser2's attribute values and text) as a view into its parent string, and the
 * parent stays alive as long as the view does. A class attribute kept as a module-level cache key
 * therefore kept the whole page's HTML: an extraction thread held about 100 pages, 30–40 MB, in
 * its chrome-hint cache after a crawl of the benchmark pages (a heap snapshot showed it).
 */

/**
 * V8's shortest sliced string (SlicedString::kMinLength): shorter substrings are always copies.
 */
const SLICED_STRING_MIN_LENGTH = 13;

/**
 * A copy of `text` that references no other string, for keys and values kept past the page
 * (caches). Prepending a character makes a cons string; slicing it flattens that into a new
 * string of its own, of which the result is the view (one character longer than `text`).
 */
export function detachedCopy(text: string): string {
  return text.length < SLICED_STRING_MIN_LENGTH ? text : (' ' + text).slice(1);
}
