/**
 * What the terminal gets: colours only on a TTY and never with NO_COLOR (https://no-color.org),
 * display widths that count wide (CJK) characters as two columns and combining marks (Arabic
 * vowel signs) as none, and cutting text to a width. Pure, apart from reading whether a stream
 * is a TTY.
 */
import stringWidth from 'string-width';

/** ANSI SGR sequences (colours, bold, underline), as citty's usage text carries them. */
const ANSI_SGR = /\u001B\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SGR, '');
}

/** Colours are for people: a TTY, no NO_COLOR (any non-empty value), and a TERM that is not "dumb". */
export function colourAllowed(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (!stream.isTTY) return false;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  return env['TERM'] !== 'dumb';
}

/** The text as it should be written to the stream: ANSI sequences removed unless colours are allowed. */
export function forStream(text: string, colour: boolean): string {
  return colour ? text : stripAnsi(text);
}

/** Terminal columns the text takes. */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The text cut to at most `width` columns, ending in "…" when cut; a wide character is never split. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return `${out}…`;
}

/** Pad with spaces to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
