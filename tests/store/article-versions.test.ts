import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import type { Article } from '../../src/article/article.ts';
import { upsertArticle } from '../../src/store/article-store.ts';
import { recordCrawlOutcome } from '../../src/store/crawl-state-store.ts';
import { scheduleNextRefresh } from '../../src/store/refresh-store.ts';
import { isDifferentStory, listVersions, suspiciousRefresh, wordOverlap } from '../../src/store/article-versions.ts';
import { wordDiff } from '../../src/store/word-diff.ts';
import { makeArticle } from '../helpers/article-factory.ts';

let db: Db;
beforeEach(() => {
  db = openDatabase(':memory:');
});
afterEach(() => closeDatabase(db));

/** An article of `words` words about `topic`. */
function story(topic: string, words: number, overrides: Partial<Article> = {}): Article {
  const text = Array.from({ length: words }, (_, i) => `${topic}${i % 50}`).join(' ');
  return makeArticle({ text, wordCount: words, contentHash: createHash('sha256').update(text).digest('hex'), ...overrides });
}

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const rows = (sql: string) => db.$client.prepare(sql).all() as Array<Record<string, unknown>>;

describe('article versions', () => {
  it('numbers versions from 1; an identical refresh adds none; a correction adds one and shows it', () => {
    const first = upsertArticle(db, story('a', 300), day(1));
    expect(first.outcome).toBe('inserted');
    expect(upsertArticle(db, story('a', 300, { retrievedAt: '2024-01-02T00:00:00Z' }), day(2)).outcome).toBe('unchanged');
    const corrected = story('a', 310, { title: 'A corrected headline', retrievedAt: '2024-01-03T00:00:00Z' });
    expect(upsertArticle(db, corrected, day(3))).toEqual({ id: first.id, outcome: 'updated' });
    expect(listVersions(db, first.id).map((v) => [v.version, v.wordCount, v.suspicious, v.fetchedAt])).toEqual([
      [1, 300, false, '2024-03-28T10:00:00.000Z'],
      [2, 310, false, '2024-01-03T00:00:00Z'],
    ]);
    expect(rows('select title, word_count from articles')).toEqual([{ title: 'A corrected headline', word_count: 310 }]);
    expect(rows('select version, version_count from articles_v')).toEqual([{ version: 2, version_count: 2 }]);
  });

  it('keeps the article when a refresh has far less text, recording a suspicious version once', () => {
    const { id } = upsertArticle(db, story('a', 400), day(1));
    const teaser = story('a', 30, { title: 'Subscribe to read' });
    expect(upsertArticle(db, teaser, day(2)).outcome).toBe('suspicious');
    expect(upsertArticle(db, teaser, day(3)).outcome).toBe('suspicious');
    expect(rows('select title, word_count from articles')).toEqual([{ title: 'A headline', word_count: 400 }]);
    const versions = listVersions(db, id);
    expect(versions.map((v) => [v.version, v.suspicious, v.note])).toEqual([
      [1, false, null],
      [2, true, 'text fell from 400 to 30 words'],
    ]);
    expect(rows('select version, version_count from articles_v')).toEqual([{ version: 1, version_count: 2 }]);
    expect(rows('select version, suspicious from article_versions_v order by version')).toEqual([
      { version: 1, suspicious: 0 },
      { version: 2, suspicious: 1 },
    ]);
  });

  it('does not let a page on another site that names our article as canonical take over its row', () => {
    upsertArticle(db, story('a', 300), day(1));
    const copy = story('z', 300, { url: 'https://copycat.example/x', site: 'copycat.example', canonicalUrl: 'https://news.example/a/1', title: 'Copied' });
    expect(upsertArticle(db, copy, day(2)).outcome).toBe('inserted');
    expect(rows('select site, title from articles order by id')).toEqual([
      { site: 'news.example', title: 'A headline' },
      { site: 'copycat.example', title: 'Copied' },
    ]);
  });

  it('keeps two different stories that share a story code apart, and merges the same story from two URLs', () => {
    const original = story('a', 300, { storyCode: '77', url: 'https://news.example/77', canonicalUrl: 'https://news.example/77' });
    upsertArticle(db, original, day(1));
    const print = { ...original, url: 'https://news.example/print/77', canonicalUrl: 'https://news.example/print/77' };
    expect(upsertArticle(db, print, day(2)).outcome).toBe('updated');
    const other = story('q', 300, { storyCode: '77', url: 'https://news.example/sport/77', canonicalUrl: 'https://news.example/sport/77', title: 'A different match report' });
    expect(upsertArticle(db, other, day(3)).outcome).toBe('inserted');
    expect(rows('select article_key, title from articles order by id')).toEqual([
      { article_key: 'code:news.example#77', title: 'A headline' },
      { article_key: 'url:https://news.example/sport/77', title: 'A different match report' },
    ]);
  });

  it('judges with named thresholds', () => {
    expect(suspiciousRefresh({ wordCount: 20 }, { wordCount: 2 })).toBeNull();
    expect(suspiciousRefresh({ wordCount: 100 }, { wordCount: 60 })).toBeNull();
    expect(suspiciousRefresh({ wordCount: 100 }, { wordCount: 40 })).toMatch(/100 to 40/);
    expect(wordOverlap('a b c d', 'a b c e')).toBeCloseTo(0.6);
    expect(isDifferentStory({ url: 'u1', canonicalUrl: 'u1', title: 'T', text: 'a b c' }, { url: 'u2', canonicalUrl: 'u2', title: 'T', text: 'x y z' })).toBe(false);
  });
});

describe('next_fetch_at', () => {
  it('follows the refresh schedule from the publication date, then is null', () => {
    const url = 'https://news.example/a/1';
    const { id } = upsertArticle(db, story('a', 300, { publishedAtUtc: '2024-01-01T00:00:00Z' }), day(1));
    const offsets = [3_600_000, 6 * 3_600_000];
    const record = (fetchedAt: string) =>
      recordCrawlOutcome(db, { url, site: 'news.example', status: 'unchanged', reason: null, httpStatus: 304, error: null, attempts: 1, finalUrl: url, etag: null, lastModified: null, contentHash: null, fetchMs: 1, fetchedAt, nextFetchAt: null }, id, new Date(fetchedAt));
    record('2024-01-01T00:30:00Z');
    expect(scheduleNextRefresh(db, url, offsets)).toBe('2024-01-01T01:00:00.000Z');
    record('2024-01-01T02:00:00Z');
    expect(scheduleNextRefresh(db, url, offsets)).toBe('2024-01-01T06:00:00.000Z');
    record('2024-01-01T07:00:00Z');
    expect(scheduleNextRefresh(db, url, offsets)).toBeNull();
    expect(rows('select next_fetch_at from crawl_state')).toEqual([{ next_fetch_at: null }]);
  });
});

describe('wordDiff', () => {
  it('marks removed and added words with context', () => {
    const diff = wordDiff('The minister met the envoy on Monday in Ankara to discuss trade', 'The minister met the envoy on Tuesday in Ankara to discuss trade and security');
    expect(diff).toMatchObject({ added: 3, removed: 1 });
    expect(diff.text).toContain('[-Monday-] {+Tuesday+}');
    expect(diff.text).toContain('{+and security+}');
    expect(wordDiff('same text', 'same text')).toEqual({ added: 0, removed: 0, text: '' });
  });
});
