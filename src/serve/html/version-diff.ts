/**
 * What changed between two versions of an article, as HTML with <del> and <ins>: a word diff
 * by jsdiff (Myers' O(ND) algorithm; BSD-3-Clause licence). Pure.
 */
import { diffWords } from 'diff';
import { escapeHtml } from './escape.ts';

/**
 * Bounds of one diff: beyond this many edits, or this much time, two versions are too far apart
 * for a word diff to help a reader (another story under the same code, a rewrite).
 */
const MAX_EDIT_LENGTH = 5_000;
const DIFF_TIMEOUT_MS = 250;

export function renderVersionDiff(before: string, after: string): string {
  const changes = diffWords(before, after, { maxEditLength: MAX_EDIT_LENGTH, timeout: DIFF_TIMEOUT_MS });
  if (!changes) return '<p>The versions differ too much to show word by word.</p>';
  if (changes.every((change) => !change.added && !change.removed)) return '<p>The text is the same.</p>';
  const html = changes
    .map((change) => {
      const text = escapeHtml(change.value);
      if (change.added) return `<ins>${text}</ins>`;
      if (change.removed) return `<del>${text}</del>`;
      return text;
    })
    .join('');
  return `<div class="diff">${html}</div>`;
}
