/**
 * The one classification of HTML tags the extractor uses: what is never text, what is code,
 * what continues a line and what starts a new one, what carries prose. The visible-lines
 * reader (dates, story codes) and the cleaner, scorer and paragraph renderer (body text) all
 * read it from here.
 */

// ─── Visible lines (page/visible-lines.ts) ───────────────────────────────────────────────────

/** Elements whose content is never visible text. */
const INVISIBLE_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'head', 'select', 'option', 'textarea']);
/** Inline elements: their text continues the current line. Everything else starts a new one. */
const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's',
  'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'label', 'big', 'nobr',
]);

/** How an element shapes the lines: hidden, continuing the line, breaking it, or a block of its own. */
type TagKind = 'invisible' | 'inline' | 'break' | 'block';
/** Common block elements: listed so that their kind is found without lowercasing their name. */
const COMMON_BLOCKS = [
  'html', 'body', 'div', 'p', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'figure',
  'figcaption', 'blockquote', 'pre', 'form', 'button', 'img', 'picture', 'source', 'input', 'hr',
];
/** Element names (lowercase) to their kind; a name not in it is a block. */
const TAG_KINDS: ReadonlyMap<string, TagKind> = new Map<string, TagKind>([
  ...COMMON_BLOCKS.map((name) => [name, 'block'] as const),
  ...[...INLINE_TAGS].map((name) => [name, 'inline'] as const),
  ...[...INVISIBLE_TAGS].map((name) => [name, 'invisible'] as const),
  ['br', 'break'],
]);

export function kindOf(name: string): TagKind {
  return TAG_KINDS.get(name) ?? TAG_KINDS.get(name.toLowerCase()) ?? 'block';
}

// ─── Body text (clean.ts, content.ts, stats.ts, paragraphs.ts) ──────────────────────────────

/** Tags that only hold code or styling, dropped right after parsing; JSON-LD scripts are kept (metadata and dates read them). */
export const CODE_TAGS: ReadonlySet<string> = new Set(['style', 'svg', 'template', 'noscript', 'iframe', 'canvas', 'math']);

/** Never readable text: code, styling, embedded media and widgets. Dropped before anything else. */
export const NON_CONTENT_TAGS: ReadonlySet<string> = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'embed',
  'video', 'audio', 'source', 'track', 'map', 'head', 'link', 'meta', 'base', 'math',
  'button', 'input', 'select', 'option', 'optgroup', 'textarea', 'label', 'datalist',
  'dialog', 'menu', 'picture', 'img',
]);

/** Elements that start a new paragraph in the output text. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dialog', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul', 'br', 'caption',
]);

/** Headings: kept inside the body (subheads are part of an article), never scored as prose. */
export const HEADING_TAGS: ReadonlySet<string> = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Prose carriers: the elements whose text is scored and credited to their ancestors. */
export const PARAGRAPH_TAGS: ReadonlySet<string> = new Set(['p', 'pre', 'td', 'blockquote']);

/** Containers that become prose carriers themselves when they hold only inline content (many sites write paragraphs as bare <div>s). */
export const DIV_LIKE_TAGS: ReadonlySet<string> = new Set(['div', 'section', 'article', 'main', 'span', 'font', 'center']);
