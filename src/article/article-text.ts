/**
 * The article's text-derived fields, shared by the HTML extractor and the text-dump parser:
 * the agency credit peeled off a dateline, the joined text, its word count and content hash.
 */
import { createHash } from 'node:crypto';
import { DATELINE_LEAD_CREDIT, DATELINE_PAREN_CREDIT, NEWS_AGENCIES } from '../extract/boilerplate.ts';

/** A word: a letter, then letters, digits, apostrophes and hyphens ("don't", "anti-terrorism", "ISIL"). */
export const WORD = /\p{L}[\p{L}\p{M}\p{N}'’-]*/gu;

/** Longest credit accepted: longer "credits" are a sentence's opening words, not an agency. */
const MAX_CREDIT_CHARS = 24;

/** Paragraphs separated by one blank line, each whitespace-folded: the normalized text that is hashed. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.map(foldParagraph).filter((p) => p !== '').join('\n\n');
}

/** Whitespace that folding would change: a run of two, or any whitespace but a plain space. */
const FOLDABLE = /\s{2}|[^\S ]/;
const WHITESPACE = /\s+/g;

function foldParagraph(paragraph: string): string {
  return FOLDABLE.test(paragraph) ? paragraph.replace(WHITESPACE, ' ').trim() : paragraph.trim();
}

const LETTER = /\p{L}/u;
const LETTER_MARK_OR_NUMBER = /[\p{L}\p{M}\p{N}]/u;

/**
 * Words as {@link WORD} defines them, counted in one pass without building the match array: a
 * word starts at a letter outside a word and runs over letters, marks, numbers, apostrophes and
 * hyphens. ASCII is decided by char code; other characters by the Unicode property classes.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    let char: string | null = null;
    if (code >= 0xd800 && code <= 0xdbff) {
      const point = text.codePointAt(i)!;
      if (point > 0xffff) {
        // A surrogate pair: one astral character (a lone surrogate stays a non-letter).
        code = point;
        char = String.fromCodePoint(point);
        i++;
      }
    }
    if (inWord) {
      inWord = continuesWord(code, char ?? text[i]!);
    } else if (isLetter(code, char ?? text[i]!)) {
      words++;
      inWord = true;
    }
  }
  return words;
}

function isLetter(code: number, char: string): boolean {
  if (code < 0x80) return ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  return LETTER.test(char);
}

function continuesWord(code: number, char: string): boolean {
  if (code < 0x80) return ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x27 || code === 0x2d;
  return code === 0x2019 || LETTER_MARK_OR_NUMBER.test(char);
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The agency of a credit, or null when it names none: every part of "AFP/Reuters" must be an
 * agency ({@link NEWS_AGENCIES}), so a city in capitals ("WASHINGTON") is never taken for one.
 */
export function agencyCredit(candidate: string): string | null {
  const credit = candidate.trim().replace(/\s+/g, ' ');
  if (credit === '' || credit.length > MAX_CREDIT_CHARS) return null;
  const parts = credit.split(/\s*\/\s*/);
  return parts.every((part) => NEWS_AGENCIES.has(part)) ? parts.join('/') : null;
}

/**
 * Peels an agency credit off the first paragraph's dateline: "FNA- High-ranking …" gives credit
 * "FNA" and the paragraph "High-ranking …"; "TEHRAN (FNA)- Officials met." gives "FNA" and
 * "TEHRAN - Officials met." (the dateline's place stays in the text, whole). A dateline without
 * an agency ("WASHINGTON — Two federal…", "(Leipzig) - Von …") is text and stays as it is.
 */
export function peelCredit(paragraphs: readonly string[]): { paragraphs: string[]; credit: string | null } {
  const first = paragraphs[0];
  if (first === undefined) return { paragraphs: [], credit: null };
  const unchanged = { paragraphs: [...paragraphs], credit: null };
  const paren = DATELINE_PAREN_CREDIT.exec(first);
  if (paren !== null) {
    const credit = agencyCredit(paren.groups?.['credit'] ?? '');
    const rest = first.slice(paren[0].length).trim();
    if (credit === null || rest === '') return unchanged;
    const place = (paren.groups?.['place'] ?? '').trim().replace(/,$/, '');
    return { paragraphs: [place === '' ? rest : `${place} ${paren.groups?.['dash'] ?? '-'} ${rest}`, ...paragraphs.slice(1)], credit };
  }
  const lead = DATELINE_LEAD_CREDIT.exec(first);
  if (lead === null) return unchanged;
  const credit = agencyCredit(lead.groups?.['credit'] ?? '');
  const rest = first.slice(lead[0].length).trim();
  if (credit === null || rest === '') return unchanged;
  return { paragraphs: [rest, ...paragraphs.slice(1)], credit };
}
