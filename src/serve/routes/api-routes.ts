/**
 * The JSON API: /api/articles (filters, keyset pages), /api/articles/:id, /api/search (BM25,
 * snippets), /api/sources, /api/status. Lists carry an ETag and answer If-None-Match with 304.
 */
import { Hono, type Context } from 'hono';
import { etag } from 'hono/etag';
import { readDatabaseStatus, readQueueCounts, readStoreStatus } from '../../queue/status-report.ts';
import {
  getArticle,
  InvalidFullTextQueryError,
  listArticles,
  listSiteSummaries,
  searchArticles,
  type ListPosition,
  type SearchPosition,
} from '../../store/article-listing.ts';
import { readArticleVersions, readConfiguredSources } from '../../store/public-view-reads.ts';
import { ApiError, needingRedis } from '../api-error.ts';
import { decodeCursor, encodeCursor, filterFingerprint } from '../cursor.ts';
import { markedToHtml } from '../html/escape.ts';
import { parseArticleFilters, parseLimit, parseQueryText, rawParamsOf, singleValues } from '../request-params.ts';
import type { ServeDeps } from '../serve-deps.ts';

const FILTER_PARAMS = ['site', 'since', 'until', 'storyCode', 'language', 'q'] as const;
const LIST_PARAMS = [...FILTER_PARAMS, 'limit', 'cursor'];
const SEARCH_PARAMS = ['q', 'site', 'since', 'until', 'language', 'limit', 'cursor'];

export function isListPosition(value: readonly unknown[]): value is [string | null, number] {
  return value.length === 2 && (value[0] === null || typeof value[0] === 'string') && Number.isSafeInteger(value[1]);
}

export function isSearchPosition(value: readonly unknown[]): value is [number, number] {
  return value.length === 2 && typeof value[0] === 'number' && Number.isFinite(value[0]) && Number.isSafeInteger(value[1]);
}

/** The same request with `cursor` set: the link to the next page. */
export function nextLink(c: Context, cursor: string): string {
  const url = new URL(c.req.url);
  url.searchParams.set('cursor', cursor);
  return `${url.pathname}?${url.searchParams.toString()}`;
}

/** An invalid full-text query is the client's mistake: 400, never 500. */
export function asSearchError(error: unknown): never {
  if (error instanceof InvalidFullTextQueryError) throw new ApiError(400, 'bad-search', error.message);
  throw error;
}

export function parseArticleId(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new ApiError(400, 'bad-parameter', `article id ${JSON.stringify(value)}: expected a whole number`);
  return Number(value);
}

export function apiRoutes(deps: ServeDeps): Hono {
  const api = new Hono();
  api.use('/articles', etag({ weak: true }));
  api.use('/search', etag({ weak: true }));
  api.use('/sources', etag({ weak: true }));

  api.get('/articles', (c) => {
    const values = singleValues(rawParamsOf(new URL(c.req.url)), LIST_PARAMS);
    const filters = parseArticleFilters(values);
    const limit = parseLimit(values['limit']);
    const fingerprint = filterFingerprint({ ...filters, limit });
    const after: ListPosition | null = values['cursor']
      ? (([publishedAtUtc, id]) => ({ publishedAtUtc, id }))(decodeCursor(values['cursor'], fingerprint, isListPosition))
      : null;
    let page;
    try {
      page = listArticles(deps.db, filters, after, limit);
    } catch (error) {
      asSearchError(error);
    }
    const next = page.next ? nextLink(c, encodeCursor([page.next.publishedAtUtc, page.next.id], fingerprint)) : null;
    return c.json({ items: page.items, next });
  });

  api.get('/articles/:id', (c) => {
    const id = parseArticleId(c.req.param('id'));
    singleValues(rawParamsOf(new URL(c.req.url)), []);
    const article = getArticle(deps.db, id);
    if (!article) throw new ApiError(404, 'not-found', `no article with id ${id}`);
    const versions = readArticleVersions(deps.db, id);
    return c.json(versions === null ? article : { ...article, versions });
  });

  api.get('/search', (c) => {
    const values = singleValues(rawParamsOf(new URL(c.req.url)), SEARCH_PARAMS);
    const query = parseQueryText(values['q']);
    if (query === undefined) throw new ApiError(400, 'bad-search', 'q is required: the words to search for');
    const { search: _ignored, ...filters } = parseArticleFilters({ ...values, q: undefined });
    const limit = parseLimit(values['limit']);
    const fingerprint = filterFingerprint({ ...filters, query, limit });
    const after: SearchPosition | null = values['cursor']
      ? (([score, id]) => ({ score, id }))(decodeCursor(values['cursor'], fingerprint, isSearchPosition))
      : null;
    let page;
    try {
      page = searchArticles(deps.db, query, filters, after, limit);
    } catch (error) {
      asSearchError(error);
    }
    const items = page.hits.map(({ article, score, titleMarked, snippetMarked }) => {
      const { text: _text, ...fields } = article;
      return { ...fields, score, highlight: { title: markedToHtml(titleMarked), snippet: markedToHtml(snippetMarked) } };
    });
    const next = page.next ? nextLink(c, encodeCursor([page.next.score, page.next.id], fingerprint)) : null;
    return c.json({ items, next });
  });

  api.get('/sources', (c) => {
    singleValues(rawParamsOf(new URL(c.req.url)), []);
    // items: the configured feeds, sitemaps and pages (empty before the sources table exists);
    // sites: every site with articles or crawl outcomes.
    return c.json({ items: readConfiguredSources(deps.db) ?? [], sites: listSiteSummaries(deps.db), next: null });
  });

  api.get('/status', async (c) => {
    singleValues(rawParamsOf(new URL(c.req.url)), []);
    const now = deps.now?.() ?? new Date();
    const queues = await needingRedis(readQueueCounts(deps.queues));
    const store = await needingRedis(readStoreStatus(queues, deps.queues, deps.redis, deps.config));
    return c.json({ queues, store, database: readDatabaseStatus(deps.db, deps.databasePath, now) });
  });

  return api;
}
