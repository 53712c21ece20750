/**
 * htmlparser2's tokenizer, with its three character-at-a-time loops replaced by scans: the same
 * tokens, the same tree, in about half the time.
 *
 * htmlparser2 (MIT, © Felix Böhm) walks the page one character per turn of its state machine:
 * each turn checks that the parser may go on, switches on the state and calls the state's method.
 * Most characters of a page are plain text, attribute values and script bodies, in which the only
 * thing a turn does is to move on. Here those runs are skipped in one tight loop, up to the next
 * character that means something in that state:
 *
 * - text (entities decoded): the next `<` or `&`;
 * - a quoted attribute value (entities decoded): the next closing quote or `&`;
 * - `fastForwardTo` (script and style bodies, comments, the end of a tag): `indexOf`.
 *
 * Every other character goes to htmlparser2's own method, so the states it moves through and the
 * events it emits are its own. The parser takes a tokenizer class as a documented option
 * (`Tokenizer`); the methods overridden are internal ones, so {@link HTML_TOKENIZER} checks that they
 * exist and falls back to the stock tokenizer when an upgrade renames them, and a test compares
 * both tokenizers' trees on hand-written edge cases.
 */
import type { CheerioOptions } from 'cheerio/slim';
import { Tokenizer } from 'htmlparser2';

const LESS_THAN = 0x3c;
const AMPERSAND = 0x26;

/** The tokenizer's internal fields this class reads and moves (private in its type declarations). */
interface TokenizerState {
  buffer: string;
  /** Position in the whole input of `buffer[0]`: writes come in chunks. */
  offset: number;
  /** Position in the whole input of the character the state machine is at. */
  index: number;
  decodeEntities: boolean;
}

/** The internal methods overridden here, as htmlparser2 10 names them. */
const OVERRIDDEN = ['stateText', 'handleInAttributeValue', 'fastForwardTo'] as const;

interface TokenizerMethods {
  stateText(this: TokenizerState, c: number): void;
  handleInAttributeValue(this: TokenizerState, c: number, quote: number): void;
  fastForwardTo(this: TokenizerState, c: number): boolean;
}

const stock = Tokenizer.prototype as unknown as TokenizerMethods;

/**
 * The index of the first character from `from` that is `a` or `b`, else the buffer's length.
 * A plain loop: runs between two such characters are short (a word, a class name), too short
 * for two `indexOf` calls or a regular expression to pay off.
 */
function nextOf(buffer: string, from: number, a: number, b: number): number {
  let i = from;
  const n = buffer.length;
  while (i < n) {
    const code = buffer.charCodeAt(i);
    if (code === a || code === b) break;
    i++;
  }
  return i;
}

/** In text: a plain character starts a run, skipped up to the character before the next `<` or `&`. */
function stateText(this: TokenizerState, c: number): void {
  if (c === LESS_THAN || c === AMPERSAND || !this.decodeEntities) {
    stock.stateText.call(this, c);
    return;
  }
  // The state machine moves one character on after this returns: stop one short of the next.
  this.index = nextOf(this.buffer, this.index - this.offset + 1, LESS_THAN, AMPERSAND) - 1 + this.offset;
}

/** In a quoted attribute value: the same, up to the closing quote or the next `&`. */
function handleInAttributeValue(this: TokenizerState, c: number, quote: number): void {
  if (c === quote || c === AMPERSAND || !this.decodeEntities) {
    stock.handleInAttributeValue.call(this, c, quote);
    return;
  }
  this.index = nextOf(this.buffer, this.index - this.offset + 1, quote, AMPERSAND) - 1 + this.offset;
}

/** Moves to the next `c` after the current character (true), else to the last character (false). */
function fastForwardTo(this: TokenizerState, c: number): boolean {
  const found = this.buffer.indexOf(String.fromCharCode(c), this.index - this.offset + 1);
  if (found >= 0) {
    this.index = found + this.offset;
    return true;
  }
  this.index = this.buffer.length + this.offset - 1;
  return false;
}

/**
 * The tokenizer with the scans. (The methods are assigned to its prototype rather than declared:
 * the stock ones are private in htmlparser2's types, which TypeScript does not let a subclass redeclare.)
 */
export class FastTokenizer extends Tokenizer {}
Object.assign(FastTokenizer.prototype, { stateText, handleInAttributeValue, fastForwardTo } satisfies TokenizerMethods);

/** Whether this htmlparser2 has the internal methods {@link FastTokenizer} overrides. */
export function fastTokenizerFits(prototype: object = Tokenizer.prototype): boolean {
  return OVERRIDDEN.every((name) => typeof (prototype as Record<string, unknown>)[name] === 'function');
}

/** The tokenizer to parse with: {@link FastTokenizer}, or the stock one if htmlparser2 changed under it. */
export const HTML_TOKENIZER: typeof Tokenizer = fastTokenizerFits() ? FastTokenizer : Tokenizer;

/**
 * cheerio/slim's `load` options for an HTML page: htmlparser2 in HTML mode (the `xml` option with
 * xmlMode off; about ten times faster than parse5), entities decoded, {@link HTML_TOKENIZER}.
 */
export const HTML_LOAD_OPTIONS: CheerioOptions = { xml: { xmlMode: false, decodeEntities: true, Tokenizer: HTML_TOKENIZER } };
