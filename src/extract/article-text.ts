/**
 * The article's text-derived fields, shared by the HTML extractor and the text-dump parser:
 * the agency credit peeled off a dateline, the joined text, its word count and content hash.
 */
import { createHash } from 'node:crypto';
import { DATELINE_CREDIT } from './boilerplate.ts';

/** A word: a letter, then letters, digits, apostrophes and hyphens ("don't", "anti-terrorism", "ISIL"). */
const WORD = /\p{L}[\p{L}\p{M}\p{N}'’-]*/gu;

/** Longest credit accepted: longer "credits" are a sentence's opening words, not an agency. */
const MAX_CREDIT_CHARS = 24;

/** Paragraphs separated by one blank line, each whitespace-folded: the normalized text that is hashed. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '').join('\n\n');
}

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Peels an agency credit off the first paragraph's dateline: "FNA- High-ranking …" gives
 * credit "FNA" and the paragraph "High-ranking …". Returns the paragraphs unchanged and a null
 * credit when the first paragraph has no dateline.
 */
export function peelCredit(paragraphs: readonly string[]): { paragraphs: string[]; credit: string | null } {
  const first = paragraphs[0];
  if (first === undefined) return { paragraphs: [], credit: null };
  const match = DATELINE_CREDIT.exec(first);
  const credit = (match?.groups?.['paren'] ?? match?.groups?.['acronym'] ?? match?.groups?.['caseless'])?.trim();
  if (match === null || credit === undefined || credit === '' || credit.length > MAX_CREDIT_CHARS) {
    return { paragraphs: [...paragraphs], credit: null };
  }
  const rest = first.slice(match[0].length).trim();
  if (rest === '') return { paragraphs: [...paragraphs], credit: null };
  return { paragraphs: [rest, ...paragraphs.slice(1)], credit };
}
