/** Escaping text for HTML and XML, and turning FTS5 match markers into <mark>. Pure. */
import { MATCH_END, MATCH_START } from '../../store/article-listing.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values, for HTML and XML alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** Text with MATCH_START/MATCH_END markers as escaped HTML with the matches in <mark>. */
export function markedToHtml(marked: string): string {
  return escapeHtml(marked).replaceAll(MATCH_START, '<mark>').replaceAll(MATCH_END, '</mark>');
}

/** Text with the markers removed. */
export function markedToText(marked: string): string {
  return marked.replaceAll(MATCH_START, '').replaceAll(MATCH_END, '');
}
