/**
 * `ingest crawl`, `worker --until-idle`, `retry`, `fetch` and `enqueue` of files, in-process
 * against a loopback site and the shared Redis (each run under its own key prefix).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { runMain } from '../helpers/run-main.ts';

let server: ArticleSiteServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startArticleSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-crawl-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('crawl'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOWED_NETWORKS: '127.0.0.0/8',
    PER_HOST_CONCURRENCY: '4',
    PER_HOST_DELAY_MS: '0',
    FETCH_ATTEMPTS: '1',
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
  };
});

afterAll(async () => {
  await server.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ingest crawl', () => {
  it('enqueues, runs until the queue is empty, prints the summary and exits 0 with every URL recorded', async () => {
    const urls = [...Array.from({ length: 12 }, (_, n) => `${server.origin}/news/${n}.html`), `${server.origin}/missing.html`];
    const file = join(dir, 'urls.txt');
    writeFileSync(file, urls.join('\n'));
    const result = await runMain(['crawl', '--file', file, '-c', '4'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('enqueued 13, already known 0, invalid 0');
    expect(result.stdout).toMatch(/crawl finished \(queue empty\) in [\d.]+ s: fetched 13 \(stored 12, unchanged 0, failed 1: http-404 1\)/);
    const states = readRows<{ status: string; n: number }>(env['DATABASE_PATH']!, 'select status, count(*) as n from crawl_state group by status order by status');
    expect(states).toEqual([{ status: 'failed', n: 1 }, { status: 'stored', n: 12 }]);
  }, 60_000);

  it('lists the failure and re-fetches it once with retry; worker --until-idle drains it and exits', async () => {
    const failed = await runMain(['failed', '--format', 'json'], env);
    expect((JSON.parse(failed.stdout) as Array<{ url: string; reason: string }>).map((f) => [f.url, f.reason])).toEqual([[`${server.origin}/missing.html`, 'http-404']]);
    const retried = await runMain(['retry', '--reason', 'http-404'], env);
    expect(retried.stdout).toContain('enqueued 1');
    const again = await runMain(['retry', '--reason', 'http-404'], env);
    expect(again.stdout).toContain('enqueued 0, already known 0, already queued 1');
    const requestsBefore = server.requests.filter((r) => r.path === '/missing.html').length;
    const worker = await runMain(['worker', '--until-idle'], { ...env, LOG_LEVEL: 'info' });
    expect(worker.code, worker.stderr).toBe(0);
    expect(worker.stderr).toContain('queues are empty: stopping');
    expect(worker.stderr).toMatch(/"message":"summary: fetched 1 \(stored 0, unchanged 0, failed 1: http-404 1\)/);
    expect(server.requests.filter((r) => r.path === '/missing.html').length).toBe(requestsBefore + 1);
  }, 60_000);

  it('stops at --max-pages and says what is left', async () => {
    const urls = Array.from({ length: 30 }, (_, n) => `${server.origin}/news/${100 + n}.html`);
    const result = await runMain(['crawl', ...urls, '--max-pages', '5', '-c', '1'], { ...env, PER_HOST_CONCURRENCY: '1', PER_HOST_DELAY_MS: '100' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('--max-pages 5 reached');
    expect(result.stdout).toMatch(/left in the queue: \d+ to fetch/);
  }, 60_000);
});

describe('ingest enqueue of files', () => {
  it('refuses a binary file such as /dev/zero at once, with the reason', async () => {
    const result = await runMain(['enqueue', '--file', '/dev/zero'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/dev/zero is binary (a NUL byte at offset 0), not a list of URLs');
  });
});

describe('ingest fetch', () => {
  it('fetches and extracts one page with no queue and no database, json or text', async () => {
    const json = await runMain(['fetch', `${server.origin}/news/7.html`], { ...env, DATABASE_PATH: join(dir, 'never-created.db') });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ storyCode: '300007', credit: 'FNA' });
    const text = await runMain(['fetch', `${server.origin}/news/8.html`, '--format', 'text'], env);
    expect(text.stdout.split('\n')[0]).toBe('Iran, Turkey stress cooperation, report 8');
    const missing = await runMain(['fetch', `${server.origin}/missing.html`], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('http-404');
    const guarded = await runMain(['fetch', `${server.origin}/news/1.html`], { ...env, ALLOWED_NETWORKS: '' });
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toContain('forbidden-address');
  });
});
