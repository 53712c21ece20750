/** Whitespace folding of text read from a page or a dump: a pure string function. */

/** Whitespace, no-break and zero-width spaces; the zero-width non-joiner (Persian) is a letter joiner, not a space, and stays. */
const WHITESPACE_RUN = /[\s\u200b]+/g;

/** Whitespace that folding would change: a run of two, or any whitespace but a plain space. */
const FOLDABLE_WHITESPACE = /[\s\u200b]{2}|[^\S ]|\u200b/;

/** Folds whitespace (including no-break and zero-width spaces) and trims. */
export function foldSpace(text: string): string {
  // Most texts are already folded: one test instead of a replace that copies the string.
  return FOLDABLE_WHITESPACE.test(text) ? text.replace(WHITESPACE_RUN, ' ').trim() : text.trim();
}
