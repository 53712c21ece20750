/** `ingest query` and `ingest export` on a database of known articles, in-process. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { upsertArticle } from '../../src/store/article-store.ts';
import { recordCrawlOutcome } from '../../src/store/crawl-state-store.ts';
import { makeArticle } from '../helpers/article-factory.ts';
import { runMain } from '../helpers/run-main.ts';

let dir: string;
let env: Record<string, string>;

/** 196 articles one hour apart from 2023-11-02T00:17Z, so one sits at 15:17Z; every third in Persian. */
const ARTICLES = 196;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-query-'));
  env = { DATABASE_PATH: join(dir, 'articles.db'), LOG_LEVEL: 'silent' };
  const db = openDatabase(env['DATABASE_PATH']!);
  const now = new Date('2024-01-01T00:00:00Z');
  for (let i = 0; i < ARTICLES; i++) {
    const utc = new Date(Date.UTC(2023, 10, 2, i, 17)).toISOString().replace('.000Z', 'Z');
    const text = `Body of article ${i}, long enough to be an article of its own.`;
    upsertArticle(
      db,
      makeArticle({
        url: `https://news.example/a/${i}`,
        canonicalUrl: `https://news.example/a/${i}`,
        title: i === 0 ? '東京 headline' : `Headline ${i}`,
        publishedAt: utc,
        publishedAtUtc: utc,
        language: i % 3 === 0 ? 'fa' : 'en-GB',
        text,
      }),
      now,
    );
  }
  recordCrawlOutcome(db, { url: 'https://news.example/gone', site: 'news.example', status: 'failed', reason: 'http-404', httpStatus: 404, error: 'Not Found', attempts: 1, finalUrl: null, etag: null, lastModified: null, contentHash: null, fetchMs: 3, fetchedAt: now.toISOString(), nextFetchAt: null }, null, now);
  recordCrawlOutcome(db, { url: 'https://news.example/slow', site: 'news.example', status: 'failed', reason: 'timeout', httpStatus: null, error: 'timed out', attempts: 4, finalUrl: null, etag: null, lastModified: null, contentHash: null, fetchMs: null, fetchedAt: now.toISOString(), nextFetchAt: null }, null, now);
  closeDatabase(db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const urls = async (args: string[]) => {
  const result = await runMain(['query', ...args, '--format', 'ndjson', '--fields', 'url', '--limit', '1000'], env);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { url: string }).url);
};

describe('ingest query filters', () => {
  it('compares instants, not strings: an offset and Z naming one instant give the same rows', async () => {
    const withOffset = await urls(['--since', '2023-11-02T16:00:00+01:00']);
    expect(withOffset).toEqual(await urls(['--since', '2023-11-02T15:00:00Z']));
    expect(withOffset.at(-1)).toBe('https://news.example/a/15');
    const until = await urls(['--until', '2023-11-02T16:00:00+01:00']);
    expect(until).not.toContain('https://news.example/a/15');
    expect(until[0]).toBe('https://news.example/a/14');
  });

  it('takes a bare day as that day in UTC, or in --tz', async () => {
    expect(await urls(['--since', '2023-11-02', '--until', '2023-11-02'])).toHaveLength(24);
    const tehran = await urls(['--since', '2023-11-03', '--until', '2023-11-03', '--tz', 'Asia/Tehran']);
    expect(tehran).toHaveLength(24);
    expect(tehran.at(-1)).toBe('https://news.example/a/21'); // 2023-11-02T21:17Z is 00:47 on the 3rd in Tehran
  });

  it('filters by language (a primary tag matches its regions), pages with --offset, counts with --count', async () => {
    expect(await urls(['--language', 'fa'])).toHaveLength(66);
    expect(await urls(['--language', 'en'])).toHaveLength(130);
    const page = await runMain(['query', '--offset', '10', '--limit', '5', '--fields', 'url', '--format', 'csv'], env);
    expect(page.stdout.trim().split('\r\n').slice(1)).toEqual([185, 184, 183, 182, 181].map((n) => `https://news.example/a/${n}`));
    expect(page.stderr).toBe('5 of 196 rows; --limit to see more\n');
    const count = await runMain(['query', '--count', '--language', 'fa'], env);
    expect(count.stdout).toBe('66\n');
  });

  it('says how many rows it left out at the default limit', async () => {
    const result = await runMain(['query', '--format', 'json'], env);
    expect(JSON.parse(result.stdout)).toHaveLength(50);
    expect(result.stderr).toBe('50 of 196 rows; --limit to see more\n');
    const fields = await runMain(['query', '--fields', 'title,publishedAt', '--format', 'csv', '--limit', '2'], env);
    expect(fields.stdout).toBe('title,publishedAt\r\nHeadline 195,2023-11-10T03:17:00Z\r\nHeadline 194,2023-11-10T02:17:00Z\r\n');
  });

  it('prints whole URLs in the table when not on a terminal', async () => {
    const result = await runMain(['query', '--limit', '3'], env);
    expect(result.stdout).toContain('https://news.example/a/195');
    expect(result.stdout).not.toContain('…');
  });
});

describe('ingest export', () => {
  it('streams every matching article as ndjson, csv or one JSON array, to stdout or a file', async () => {
    const ndjson = await runMain(['export'], env);
    expect(ndjson.code).toBe(0);
    expect(ndjson.stdout.trim().split('\n')).toHaveLength(ARTICLES);
    expect(ndjson.stderr).toContain(`exported ${ARTICLES} articles`);
    const out = join(dir, 'fa.json');
    const json = await runMain(['export', '--language', 'fa', '--format', 'json', '-o', out, '--fields', 'url,language,authors'], env);
    expect(json.code).toBe(0);
    const array = JSON.parse(readFileSync(out, 'utf8')) as Array<{ language: string; authors: unknown }>;
    expect(array).toHaveLength(66);
    expect(array[0]).toEqual({ url: 'https://news.example/a/195', language: 'fa', authors: [] });
    expect(existsSync(`${out}.partial`)).toBe(false);
    const csv = await runMain(['export', '--format', 'csv', '--fields', 'url', '--limit', '2'], env);
    expect(csv.stdout).toBe('url\r\nhttps://news.example/a/195\r\nhttps://news.example/a/194\r\n');
  });

  it('refuses a bad search as a usage error and leaves no partial file', async () => {
    const out = join(dir, 'bad.ndjson');
    const result = await runMain(['export', '--search', '"unbalanced', '-o', out], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--search');
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  });
});

describe('ingest failed', () => {
  it('lists failed URLs with their reasons, filtered by reason', async () => {
    const all = await runMain(['failed', '--format', 'ndjson'], env);
    expect(all.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { reason: string }).reason).sort()).toEqual(['http-404', 'timeout']);
    const table = await runMain(['failed', '--reason', 'timeout'], env);
    expect(table.stdout).toContain('https://news.example/slow');
    expect(table.stdout).toContain('by reason: http-404 1, timeout 1');
    expect(table.stdout).not.toContain('https://news.example/gone');
  });
});
