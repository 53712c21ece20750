/**
 * Step 1 of date finding: the machine-readable candidates. JSON-LD, meta tags, itemprop
 * elements, <time datetime> (and abbr.published), and data-date attributes.
 */
import type { Element } from 'domhandler';
import { attributeOf, textOf } from '../page/dom.ts';
import { DATE_ATTRIBUTES, type PageIndex } from '../page/page-index.ts';
import { addParsed, type Candidate, dayOf, type MachineDates, type PublicationDateOptions, RANK } from './candidate.ts';
import { isInFurniture, marksOf } from './furniture.ts';
import {
  ARTICLE_TYPES, GENERIC_META, JSON_LD_SKIPPED, MEDIA_TYPES, MODIFIED_MARK, MODIFIED_META, NOT_ARTICLE_DATE_MARK, PUBLISHED_META,
} from './vocabulary.ts';

/** A marked-element source with this many different days is a list of other items' dates. */
const LISTING_DISTINCT_DAYS = 3;

/**
 * Where a JSON-LD item sits: at the top (or in @graph), inside an article-like item (a part
 * of it: its video, its image), or inside some other item (a WebPage's mainEntity).
 */
type JsonLdPlace = 'top' | 'inArticle' | 'inOther';

function walkJsonLd(node: unknown, out: MachineDates, options: PublicationDateOptions, place: JsonLdPlace): void {
  if (Array.isArray(node)) {
    for (const item of node) walkJsonLd(item, out, options, place);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const type = obj['@type'];
  const typeText = Array.isArray(type) ? type.join(' ') : typeof type === 'string' ? type : '';
  // An untyped object continues its parent. A typed item inside an article is a part of it or
  // about it (its video, its readers' reviews): its dates are its own, not the article's.
  const isArticle = typeText ? ARTICLE_TYPES.test(typeText) : place === 'inArticle';
  const isPart = typeText !== '' && place === 'inArticle';
  const rank = isArticle && !isPart ? RANK.articleMetadata : RANK.genericMetadata;
  const inner: JsonLdPlace = typeText ? (isArticle ? 'inArticle' : 'inOther') : place;
  for (const [key, value] of Object.entries(obj)) {
    const k = key.toLowerCase();
    if (typeof value === 'string') {
      if (k === 'datepublished' || k === 'datecreated' || k === 'uploaddate') addParsed(out.published, value, rank, options);
      else if (k === 'datemodified') addParsed(out.modified, value, rank, options);
    } else if (!JSON_LD_SKIPPED.has(key)) {
      walkJsonLd(value, out, options, key === '@graph' ? place : inner);
    }
  }
}

export function collectJsonLd(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  for (const el of index.jsonLdScripts) {
    const text = textOf(el).trim();
    if (!text) continue;
    try {
      walkJsonLd(JSON.parse(text), out, options, 'top');
    } catch {
      // Broken JSON-LD is common (trailing commas, raw newlines): read the dates out directly.
      for (const m of text.matchAll(/"(datePublished|dateCreated|dateModified)"\s*:\s*"([^"]+)"/g)) {
        addParsed(m[1] === 'dateModified' ? out.modified : out.published, m[2], RANK.genericMetadata, options);
      }
    }
  }
}

export function collectMeta(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  for (const el of index.metas) {
    const a = el.attribs;
    const key = (a['property'] ?? a['name'] ?? a['itemprop'] ?? a['http-equiv'] ?? '').toLowerCase().trim();
    const value = a['content'] ?? a['datetime'] ?? a['value'];
    if (!key || !value) continue;
    if (a['itemprop'] !== undefined && isPartOfArticleItem(el)) {
      // Microdata of a part of the article (its video, its image): that part's dates.
      if (PUBLISHED_META.has(key)) addParsed(out.published, value, RANK.genericMetadata, options);
      else if (MODIFIED_META.has(key)) addParsed(out.modified, value, RANK.genericMetadata, options);
      continue;
    }
    if (PUBLISHED_META.has(key)) addParsed(out.published, value, RANK.articleMetadata, options);
    else if (GENERIC_META.has(key)) addParsed(out.published, value, RANK.genericMetadata, options);
    else if (MODIFIED_META.has(key)) addParsed(out.modified, value, RANK.articleMetadata, options);
  }
}

/** The nearest microdata item (itemscope) holding `el`, or null. */
function itemScopeOf(el: Element): Element | null {
  for (let node = el.parent; node && node.type === 'tag'; node = node.parent) {
    if (node.attribs['itemscope'] !== undefined) return node;
  }
  return null;
}

/** True when `el`'s microdata item is a media item nested in an article-like item (a part of it). */
function isPartOfArticleItem(el: Element): boolean {
  const scope = itemScopeOf(el);
  if (!scope || !MEDIA_TYPES.test(scope.attribs['itemtype'] ?? '')) return false;
  for (let outer = itemScopeOf(scope); outer; outer = itemScopeOf(outer)) {
    if (ARTICLE_TYPES.test(outer.attribs['itemtype'] ?? '')) return true;
  }
  return false;
}

export function collectMarkedElements(index: PageIndex, out: MachineDates, options: PublicationDateOptions): void {
  const marked: MachineDates = { published: [], modified: [] };
  for (const el of index.itemprops) {
    if (el.name === 'meta' || isInFurniture(el)) continue;
    const prop = (el.attribs['itemprop'] ?? '').toLowerCase();
    const value = el.attribs['datetime'] ?? el.attribs['content'] ?? textOf(el);
    if (prop === 'datepublished' || prop === 'datecreated') addParsed(marked.published, value, RANK.markedElement, options);
    else if (prop === 'datemodified') addParsed(marked.modified, value, RANK.markedElement, options);
  }
  const furniture: Candidate[] = [];
  for (const el of index.timeElements) {
    const value = el.attribs['datetime'] ?? el.attribs['title'] ?? textOf(el);
    if (isInFurniture(el)) {
      addParsed(furniture, value, RANK.anyTimeElement, options);
      continue;
    }
    const marks = marksOf(el, 2);
    if (MODIFIED_MARK.test(marks) || /updated/.test(el.attribs['class'] ?? '')) {
      addParsed(marked.modified, value, RANK.markedElement, options);
    } else if (el.attribs['pubdate'] !== undefined || /publish|entry-date|post-date|article-date|created/i.test(marks)) {
      addParsed(marked.published, value, RANK.markedElement, options);
    } else if (!NOT_ARTICLE_DATE_MARK.test(marks)) {
      addParsed(out.published, value, RANK.anyTimeElement, options);
    }
  }
  // Furniture times that all agree are probably this page's own teaser (right 5 times in 8 on
  // the dev pages). Times that disagree are other articles' (the most frequent or the earliest
  // of them was right once in 7): they are dropped, and the page may get no date at all.
  if (new Set(furniture.map(dayOf)).size === 1) out.published.push(...furniture);
  // Many different days under the same marks: a list of other articles, not this one's date.
  for (const key of ['published', 'modified'] as const) {
    const days = new Set(marked[key].map(dayOf));
    const listing = days.size >= LISTING_DISTINCT_DAYS;
    for (const c of marked[key]) out[key].push(listing ? { ...c, rank: RANK.anyTimeElement } : c);
  }
}

/** Dates in attributes some sites put the article's date in (data-date="18. März 2020"). */
export function collectDateAttributes(index: PageIndex, out: Candidate[], options: PublicationDateOptions): void {
  for (const el of index.dateAttributeElements) {
    if (el.type !== 'tag' || el.name === 'time' || isInFurniture(el)) continue;
    for (const a of DATE_ATTRIBUTES) addParsed(out, el.attribs[a], RANK.anyTimeElement, options);
  }
}
