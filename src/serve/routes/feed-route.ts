/**
 * GET /feed.atom (?site=, ?q=, ?language=, ?limit=): the newest clean articles as Atom 1.0, with
 * ETag and Last-Modified so feed readers poll with If-None-Match / If-Modified-Since.
 */
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { listArticles, readArticlesVersion } from '../../store/article-listing.ts';
import { atomDateTime, renderAtomFeed, uuidUrn } from '../atom-feed.ts';
import { parseArticleFilters, parseLimit, rawParamsOf, singleValues } from '../request-params.ts';
import type { ServeDeps } from '../serve-deps.ts';
import { asSearchError } from './api-routes.ts';

const FEED_PARAMS = ['site', 'q', 'language', 'limit'];
/** The feed's `updated` when the database is empty (RFC 4287 requires one). */
const EMPTY_FEED_UPDATED = '1970-01-01T00:00:00Z';

export function feedRoute(deps: ServeDeps): Hono {
  const feed = new Hono();
  feed.use('/feed.atom', etag({ weak: true }));
  feed.get('/feed.atom', (c) => {
    const url = new URL(c.req.url);
    const values = singleValues(rawParamsOf(url), FEED_PARAMS);
    const filters = parseArticleFilters(values);
    const limit = parseLimit(values['limit']);
    let page;
    try {
      page = listArticles(deps.db, filters, null, limit);
    } catch (error) {
      asSearchError(error);
    }
    const newest = page.items.map((article) => article.updatedAt).sort().at(-1);
    const updated = atomDateTime(newest ?? readArticlesVersion(deps.db).lastUpdatedAt) ?? EMPTY_FEED_UPDATED;
    const lastModified = new Date(updated).toUTCString();
    const since = c.req.header('if-modified-since');
    if (since && !c.req.header('if-none-match') && Date.parse(since) >= Math.floor(Date.parse(updated) / 1000) * 1000) {
      return c.body(null, 304, { 'Last-Modified': lastModified });
    }
    const described = [values['site'], values['q'] && `“${values['q']}”`, values['language']].filter(Boolean).join(', ');
    const browse = new URL('/', url);
    if (values['site']) browse.searchParams.set('site', values['site']);
    if (values['q']) browse.searchParams.set('q', values['q']);
    if (values['language']) browse.searchParams.set('language', values['language']);
    const xml = renderAtomFeed({
      id: uuidUrn(`article-ingest:feed:${JSON.stringify([values['site'] ?? null, values['q'] ?? null, values['language'] ?? null])}`),
      title: described ? `Articles: ${described}` : 'Articles',
      selfUrl: url.href,
      alternateUrl: browse.href,
      updated,
      articles: page.items,
      articlePageUrl: (article) => new URL(`/articles/${article.id}`, url).href,
    });
    return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Last-Modified': lastModified });
  });
  return feed;
}
