/**
 * A word diff between two versions of an article, for `ingest show --versions`: the changed
 * words marked as git's --word-diff=plain does ([-removed-]{+added+}), each change with a few
 * words of context, unchanged stretches elided. Pure; the diff itself is jsdiff's diffWords
 * (Myers' O(ND) algorithm).
 */
import { diffWords } from 'diff';

/** Words of unchanged text shown on each side of a change. */
const CONTEXT_WORDS = 6;

export interface WordDiffSummary {
  added: number;
  removed: number;
  /** The changes in context; empty when the texts are equal. */
  text: string;
}

export function wordDiff(before: string, after: string): WordDiffSummary {
  const parts = diffWords(before, after);
  let added = 0;
  let removed = 0;
  const out: string[] = [];
  parts.forEach((part, index) => {
    const words = part.value.split(/\s+/).filter(Boolean);
    if (part.added) {
      added += words.length;
      out.push(`{+${words.join(' ')}+}`);
    } else if (part.removed) {
      removed += words.length;
      out.push(`[-${words.join(' ')}-]`);
    } else {
      const first = index === 0;
      const last = index === parts.length - 1;
      out.push(contextOf(words, first, last));
    }
  });
  if (added === 0 && removed === 0) return { added, removed, text: '' };
  return { added, removed, text: out.filter(Boolean).join(' ') };
}

/** An unchanged stretch: its ends next to changes, with "…" for what is left out. */
function contextOf(words: string[], first: boolean, last: boolean): string {
  const keepBefore = first ? 0 : CONTEXT_WORDS;
  const keepAfter = last ? 0 : CONTEXT_WORDS;
  if (words.length <= keepBefore + keepAfter) return words.join(' ');
  const head = words.slice(0, keepBefore);
  const tail = keepAfter > 0 ? words.slice(-keepAfter) : [];
  return [...head, '…', ...tail].join(' ');
}
