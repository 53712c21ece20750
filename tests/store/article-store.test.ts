import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { articleKeyOf } from '../../src/store/article-key.ts';
import { InvalidSearchError, queryArticles } from '../../src/store/article-query.ts';
import { upsertArticle } from '../../src/store/article-store.ts';
import { recordCrawlOutcome } from '../../src/store/crawl-state-store.ts';
import { readDatabaseTotals } from '../../src/store/database-totals.ts';
import type { CrawlOutcome } from '../../src/store/crawl-outcome.ts';
import { makeArticle } from '../helpers/article-factory.ts';

let db: Db;
const now = new Date('2024-03-28T10:00:00Z');

beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => closeDatabase(db));

describe('articleKeyOf', () => {
  it('uses site and story code when the site gives one, whatever the URL', () => {
    const a = makeArticle({ storyCode: '269797', url: 'https://news.example/print/269797' });
    const b = makeArticle({ storyCode: '269797', url: 'https://m.news.example/a?id=269797', canonicalUrl: null });
    expect(articleKeyOf(a)).toBe('code:news.example#269797');
    expect(articleKeyOf(b)).toBe(articleKeyOf(a));
  });

  it('falls back to the canonical URL, then the URL, then the content hash', () => {
    expect(articleKeyOf(makeArticle({ canonicalUrl: 'https://news.example/c' }))).toBe('url:https://news.example/c');
    expect(articleKeyOf(makeArticle({ canonicalUrl: null, url: 'https://x.example/u' }))).toBe('url:https://x.example/u');
    const dump = makeArticle({ canonicalUrl: null, url: null, site: null });
    expect(articleKeyOf(dump)).toBe(`hash:${dump.contentHash}`);
  });

  it('ignores a canonical URL on another site: such a page cannot take over that article', () => {
    expect(articleKeyOf(makeArticle({ url: 'https://copycat.example/a', site: 'copycat.example', canonicalUrl: 'https://news.example/a/1' }))).toBe('url:https://copycat.example/a');
  });
});

describe('upsertArticle', () => {
  it('inserts, then reports the same article as unchanged, then updates an edit in place', () => {
    const first = upsertArticle(db, makeArticle({ storyCode: '1' }), now);
    expect(first.outcome).toBe('inserted');
    const again = upsertArticle(db, makeArticle({ storyCode: '1', retrievedAt: '2024-03-29T00:00:00Z' }), now);
    expect(again).toEqual({ id: first.id, outcome: 'unchanged' });
    const edited = upsertArticle(db, makeArticle({ storyCode: '1', title: 'A corrected headline' }), new Date('2024-03-30T00:00:00Z'));
    expect(edited).toEqual({ id: first.id, outcome: 'updated' });
    const rows = queryArticles(db, { limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ title: 'A corrected headline', storedAt: now.toISOString(), updatedAt: '2024-03-30T00:00:00.000Z' });
  });

  it('keeps authors as a list', () => {
    upsertArticle(db, makeArticle({ authors: ['Jane Doe', 'John Roe'] }), now);
    expect(queryArticles(db, { limit: 1 })[0]?.authors).toEqual(['Jane Doe', 'John Roe']);
  });
});

describe('queryArticles', () => {
  beforeEach(() => {
    upsertArticle(db, makeArticle({ url: 'https://a.example/1', canonicalUrl: 'https://a.example/1', site: 'a.example', publishedAt: '2019-03-04', publishedPrecision: 'day', publishedAtUtc: null }), now);
    upsertArticle(db, makeArticle({ url: 'https://a.example/2', canonicalUrl: 'https://a.example/2', site: 'a.example', storyCode: '77', publishedAtUtc: '2017-07-25T18:13:00Z' }), now);
    upsertArticle(db, makeArticle({ url: 'https://b.example/3', canonicalUrl: 'https://b.example/3', site: 'b.example', publishedAt: null, publishedAtUtc: null, publishedPrecision: null }), now);
  });

  it('filters by site (ignoring www.) and story code', () => {
    expect(queryArticles(db, { site: 'www.A.example', limit: 10 }).map((a) => a.url)).toEqual(['https://a.example/1', 'https://a.example/2']);
    expect(queryArticles(db, { storyCode: '77', limit: 10 }).map((a) => a.url)).toEqual(['https://a.example/2']);
  });

  it('filters by publication date, a bare --until day including the whole day', () => {
    expect(queryArticles(db, { publishedFrom: '2018-01-01T00:00:00Z', limit: 10 }).map((a) => a.url)).toEqual(['https://a.example/1']);
    expect(queryArticles(db, { publishedBefore: '2017-07-26T00:00:00Z', limit: 10 }).map((a) => a.url)).toEqual(['https://a.example/2']);
    expect(queryArticles(db, { publishedBefore: '2017-07-25T00:00:00Z', limit: 10 })).toEqual([]);
  });

  it('searches title and text, follows edits, and refuses a malformed search', () => {
    upsertArticle(db, makeArticle({ url: 'https://c.example/4', canonicalUrl: 'https://c.example/4', site: 'c.example', title: 'Café owners protest', text: 'The municipality raised the rent of every kiosk.' }), now);
    expect(queryArticles(db, { search: 'kiosk', limit: 10 }).map((a) => a.url)).toEqual(['https://c.example/4']);
    expect(queryArticles(db, { search: 'cafe', limit: 10 }).map((a) => a.url)).toEqual(['https://c.example/4']);
    expect(queryArticles(db, { search: '"raised the rent"', limit: 10 })).toHaveLength(1);
    expect(queryArticles(db, { search: 'kiosk', site: 'a.example', limit: 10 })).toEqual([]);
    upsertArticle(db, makeArticle({ url: 'https://c.example/4', canonicalUrl: 'https://c.example/4', site: 'c.example', title: 'Café owners protest', text: 'The municipality froze the rent.' }), now);
    expect(queryArticles(db, { search: 'kiosk', limit: 10 })).toEqual([]);
    expect(queryArticles(db, { search: 'froze', limit: 10 })).toHaveLength(1);
    expect(() => queryArticles(db, { search: '"unbalanced', limit: 10 })).toThrow(InvalidSearchError);
  });

  it('rewrites the search index on an update only when the title or the text changed', () => {
    const article = makeArticle({ url: 'https://c.example/5', canonicalUrl: 'https://c.example/5', site: 'c.example', title: 'Harbour reopens', text: 'The ferry terminal reopened on Monday.' });
    upsertArticle(db, article, now);
    const indexRows = () => (db.$client.prepare('select count(*) as n from articles_fts_data').get() as { n: number }).n;
    const before = indexRows();
    // Metadata only: the row is updated, its index entries are left alone.
    expect(upsertArticle(db, { ...article, modifiedAt: '2024-03-29T08:00:00Z' }, now).outcome).toBe('updated');
    expect(indexRows()).toBe(before);
    expect(queryArticles(db, { search: 'ferry', limit: 10 }).map((a) => a.url)).toEqual(['https://c.example/5']);
    // A new title (the text as it was) is a change: the old title's words leave the index.
    upsertArticle(db, { ...article, title: 'Harbour closes' }, now);
    expect(indexRows()).toBeGreaterThan(before);
    expect(queryArticles(db, { search: 'closes', limit: 10 })).toHaveLength(1);
    expect(queryArticles(db, { search: 'reopens', limit: 10 })).toEqual([]);
    expect(queryArticles(db, { search: 'ferry', limit: 10 })).toHaveLength(1);
  });

  it('sorts newest first, undated last, and honours the limit', () => {
    expect(queryArticles(db, { limit: 10 }).map((a) => a.url)).toEqual(['https://a.example/1', 'https://a.example/2', 'https://b.example/3']);
    expect(queryArticles(db, { limit: 1 })).toHaveLength(1);
  });
});

describe('crawl state', () => {
  const outcome = (overrides: Partial<CrawlOutcome>): CrawlOutcome => ({
    url: 'https://a.example/1',
    site: 'a.example',
    status: 'stored',
    reason: null,
    httpStatus: 200,
    error: null,
    attempts: 1,
    finalUrl: 'https://a.example/1',
    etag: '"v1"',
    lastModified: 'Tue, 25 Jul 2017 18:13:00 GMT',
    contentHash: 'abc',
    fetchMs: 12,
    fetchedAt: now.toISOString(),
    nextFetchAt: null,
    ...overrides,
  });

  it('keeps the last validators through a failed attempt and counts failures by reason', () => {
    recordCrawlOutcome(db, outcome({}), null, now);
    recordCrawlOutcome(db, outcome({ status: 'failed', reason: 'http-503', httpStatus: 503, error: 'HTTP 503', attempts: 4, etag: null, lastModified: null, contentHash: null }), null, now);
    recordCrawlOutcome(db, outcome({ url: 'https://a.example/2', status: 'failed', reason: 'http-404', httpStatus: 404, error: 'HTTP 404' }), null, now);
    const row = db.$client.prepare('select * from crawl_state where url = ?').get('https://a.example/1') as Record<string, unknown>;
    expect(row).toMatchObject({ status: 'failed', reason: 'http-503', attempts: 4, etag: '"v1"', content_hash: 'abc' });
    const totals = readDatabaseTotals(db, now);
    expect(totals.urlsByStatus).toEqual({ failed: 2 });
    expect(totals.failuresByReason).toEqual(expect.arrayContaining([{ reason: 'http-503', count: 1 }, { reason: 'http-404', count: 1 }]));
    expect(totals.recentFailures.map((f) => f.url).sort()).toEqual(['https://a.example/1', 'https://a.example/2']);
    expect(totals.throughput[0]).toMatchObject({ windowMinutes: 5, urlsPerMinute: 0.4 });
  });
});

describe('openDatabase', () => {
  it('turns on foreign keys and a busy timeout, and migrates', () => {
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['articles', 'crawl_state']));
  });
});
