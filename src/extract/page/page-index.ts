/**
 * What date and story-code finding read from a document, gathered in one walk of it: the
 * elements they used to find with a dozen `$(selector)` scans (meta, itemprop, time, JSON-LD,
 * scripts, titles, date attributes) and the page's visible lines.
 *
 * Build it once per document with {@link indexPage} and hand it to `findPublicationDates` and
 * `findStoryCode`. It describes the document as it was when built: after changing the
 * document, build a new one.
 *
 * Every list keeps the order and the matching rules of the selector it replaces (cheerio's
 * css-select in HTML mode), so answers do not depend on which one is used.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { isElement } from './dom.ts';
import { linesOf, type PageLine } from './visible-lines.ts';

/** Attributes some sites put the article's date in (data-date="18. März 2020"). */
export const DATE_ATTRIBUTES: readonly string[] = [
  'data-date', 'data-published', 'data-publish-date', 'data-pubdate', 'data-time', 'data-timestamp', 'data-datetime',
];

/** {@link DATE_ATTRIBUTES}, all of which start with "data-" (checked first: it is cheaper). */
const DATE_ATTRIBUTE_SET: ReadonlySet<string> = new Set(DATE_ATTRIBUTES);

/** `abbr.published` and `abbr.updated`: a class word, compared case-sensitively like css-select does. */
const PUBLISHED_CLASS = /(?:^|\s)published(?:$|\s)/;
const UPDATED_CLASS = /(?:^|\s)updated(?:$|\s)/;
/** `script[type="application/ld+json"]`; `type` is compared case-insensitively in HTML. */
const JSON_LD_TYPE = 'application/ld+json';

export interface PageIndex {
  /** `<meta>` elements. */
  metas: Element[];
  /** `[itemprop]`: elements with an itemprop attribute. */
  itemprops: Element[];
  /** `time, abbr.published, abbr.updated`. */
  timeElements: Element[];
  /** `script[type="application/ld+json"]`. */
  jsonLdScripts: Element[];
  /** `script:not([src])`: inline scripts (JSON-LD included). */
  inlineScripts: Element[];
  /** Elements with one of {@link DATE_ATTRIBUTES}. */
  dateAttributeElements: Element[];
  /** The first `<h1>`, `<title>` and `<body>`. */
  h1: Element | null;
  title: Element | null;
  body: Element | null;
  /** The first `meta[property="og:title"]`, `meta[property="og:url"]`, `link[rel="canonical"]`. */
  ogTitle: Element | null;
  ogUrl: Element | null;
  canonical: Element | null;
  /** The first `meta[http-equiv]` whose http-equiv is "refresh" (any case). */
  refresh: Element | null;
  /** Every `<title>`, `<h1>`, `<link>`, `<script>` and `<html>`, in document order (the page's metadata reads them). */
  titles: Element[];
  h1s: Element[];
  links: Element[];
  scripts: Element[];
  htmls: Element[];
  /** The visible text as lines (see visible-lines.ts), read from `<body>` (else the whole document). */
  lines: PageLine[];
}

/** css-select's `[name]`: present and not null (the own-property check only when it is). */
function hasAttribute(el: Element, name: string): boolean {
  return el.attribs[name] != null && Object.hasOwn(el.attribs, name);
}

/** css-select's `[name="value"]` for attributes HTML compares case-insensitively (rel, type). */
function equalsIgnoringCase(attribute: string | undefined, value: string): boolean {
  return attribute != null && attribute.length === value.length && attribute.toLowerCase() === value;
}

function emptyIndex(): PageIndex {
  return {
    metas: [], itemprops: [], timeElements: [], jsonLdScripts: [], inlineScripts: [], dateAttributeElements: [],
    h1: null, title: null, body: null, ogTitle: null, ogUrl: null, canonical: null, refresh: null,
    titles: [], h1s: [], links: [], scripts: [], htmls: [], lines: [],
  };
}

/** Files one element under every list it belongs to. */
function record(index: PageIndex, el: Element): void {
  const a = el.attribs;
  // One pass over the element's attribute names (looking each wanted name up is much slower).
  // The loop reads names only: a value read inside it (`a[name]`) runs on few elements, so V8's
  // optimized code for this function met it without type feedback and was thrown away again and
  // again (about one deoptimization and one recompilation per page, --trace-deopt). The values
  // are read after it, for the rare element that has one of the names.
  let itemprop = false;
  let dateAttribute = false;
  for (const name in a) {
    if (name === 'itemprop') itemprop = true;
    else if (name.startsWith('data-') && DATE_ATTRIBUTE_SET.has(name)) dateAttribute = true;
  }
  if (itemprop && hasAttribute(el, 'itemprop')) index.itemprops.push(el);
  if (dateAttribute && DATE_ATTRIBUTES.some((name) => hasAttribute(el, name))) index.dateAttributeElements.push(el);
  switch (el.name) {
    case 'meta':
      index.metas.push(el);
      if (index.ogTitle === null && a['property'] === 'og:title') index.ogTitle = el;
      if (index.ogUrl === null && a['property'] === 'og:url') index.ogUrl = el;
      if (index.refresh === null && hasAttribute(el, 'http-equiv') && /^refresh$/i.test(a['http-equiv'] ?? '')) index.refresh = el;
      break;
    case 'time':
      index.timeElements.push(el);
      break;
    case 'abbr': {
      const cls = a['class'];
      if (cls != null && (PUBLISHED_CLASS.test(cls) || UPDATED_CLASS.test(cls))) index.timeElements.push(el);
      break;
    }
    case 'script':
      index.scripts.push(el);
      if (!hasAttribute(el, 'src')) index.inlineScripts.push(el);
      if (equalsIgnoringCase(a['type'], JSON_LD_TYPE)) index.jsonLdScripts.push(el);
      break;
    case 'link':
      index.links.push(el);
      if (index.canonical === null && equalsIgnoringCase(a['rel'], 'canonical')) index.canonical = el;
      break;
    case 'h1':
      index.h1 ??= el;
      index.h1s.push(el);
      break;
    case 'title':
      index.title ??= el;
      index.titles.push(el);
      break;
    case 'html':
      index.htmls.push(el);
      break;
    case 'body':
      index.body ??= el;
      break;
  }
}

/**
 * One walk of the document, in document order, over the nodes `$(selector)` searches: the
 * root's elements and everything below them. `root` is `$.root()[0]`, when the caller has it.
 */
export function indexPage($: CheerioAPI, root: ParentNode = $.root()[0] as ParentNode): PageIndex {
  const index = emptyIndex();
  visit(index, root.children.filter(isElement));
  index.lines = linesOf(index.body ?? root);
  return index;
}

/** Records the elements among `nodes` and below them (every node that has children). */
function visit(index: PageIndex, nodes: readonly AnyNode[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (isElement(node)) {
      record(index, node);
      visit(index, node.children);
    } else if (node.type === 'root' || node.type === 'cdata') {
      visit(index, node.children);
    }
  }
}
