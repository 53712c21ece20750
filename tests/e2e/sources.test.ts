/**
 * End to end, through the real commands: three sources (a feed, a sitemap, a section page) on a
 * loopback site, polled every 5 s by `ingest worker` (a process of its own, stopped by SIGTERM;
 * the short commands run in this process through main(argv), as the bin runs them). Round one discovers the first articles;
 * round two adds new ones and corrects one: the new ones are stored, the corrected one gets
 * version 2, nothing already stored is fetched again, and unchanged sources answer 304.
 * `ingest recrawl` then re-fetches conditionally (the 304 path and the 200-same-hash path both
 * leave version 1) without piling up jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_QUEUE } from '../../src/queue/job-data.ts';
import { pendingJobs } from '../helpers/queue-counts.ts';
import { readRows } from '../helpers/read-database.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';
import { runMain } from '../helpers/run-main.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { startSourceSiteServer, type SourceSiteServer } from '../helpers/source-site-server.ts';

/**
 * Time for a test that starts `ingest worker`: a Node process that loads the TypeScript
 * sources, a couple of seconds on an idle machine and many more on a busy one.
 */
const WORKER_STEPS_TIMEOUT_MS = 120_000;

/** The three sources' paths at the site: every request to them is a poll. */
const SOURCE_PATHS = ['/feed.xml', '/sitemap.xml', '/section'];

/** Longest wait for one scheduled poll of each source (an interval of 5 s, on a busy machine). */
const POLL_WAIT_MS = 30_000;

let server: SourceSiteServer;
let dir: string;
let env: Record<string, string>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startSourceSiteServer({
    feed: [1, 2],
    sitemap: [
      { n: 3, lastmod: '2026-01-01T00:00:00Z' },
      { n: 4, lastmod: '2026-01-01T00:00:00Z' },
    ],
    section: [5, 6],
    noEtag: new Set([2]),
  });
  dir = mkdtempSync(join(tmpdir(), 'ingest-sources-e2e-'));
  env = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('sources-e2e'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_CONCURRENCY: '8',
    PER_HOST_DELAY_MS: '0',
    LOG_LEVEL: 'info',
  };
});

afterAll(async () => {
  await server?.close();
  if (env) await deleteKeysWithPrefix(env['QUEUE_PREFIX']!);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startWorker() {
  const child = spawnCli(['worker'], env);
  const finished = collect(child);
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  return {
    child,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      return finished;
    },
  };
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const db = () => env['DATABASE_PATH']!;
const storyCodes = () => readRows<{ story_code: string }>(db(), 'select story_code from articles order by story_code').map((r) => Number(r.story_code) - 300000);
const articleAt = (n: number) => `${server.origin}/news/${n}.html`;

async function versionsOf(n: number) {
  const shown = await runMain(['show', articleAt(n), '--versions', '--format', 'json'], env);
  expect(shown.code).toBe(0);
  return JSON.parse(shown.stdout) as { version: number; text: string; versions: Array<{ version: number; text: string; suspicious: boolean }> };
}

describe('sources on a schedule', () => {
  let worker: ReturnType<typeof startWorker>;

  it('adds a feed, a sitemap and a section page, detecting their kinds', async () => {
    for (const [path, extra] of [['/feed.xml', []], ['/sitemap.xml', []], ['/section', ['--pattern', '/news/\\d+\\.html']]] as const) {
      const added = await runMain(['source', 'add', `${server.origin}${path}`, '--every', '5s', ...extra], env);
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
    }
    const list = await runMain(['source', 'list', '--format', 'json'], env);
    const sources = JSON.parse(list.stdout) as Array<{ url: string; kind: string; schedule: string }>;
    expect(sources.map((s) => [s.kind, s.schedule])).toEqual([
      ['feed', 'every 5s'],
      ['sitemap', 'every 5s'],
      ['page', 'every 5s'],
    ]);
    // Bad flags are usage errors (the rules themselves are unit-tested in tests/cli/source-flags.test.ts).
    const bad = await runMain(['source', 'add', `${server.origin}/feed.xml`, '--every', '3 parsecs'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--every "3 parsecs" is not a duration/);
  });

  it('discovers the first articles, then picks up new and corrected ones without re-fetching the rest', async () => {
    worker = startWorker();
    await waitFor('round one', () => storyCodes().length >= 6, 60_000);
    expect(storyCodes()).toEqual([1, 2, 3, 4, 5, 6]);

    const changedAt = Date.now();
    server.state.feed = [7, 1, 2];
    server.state.sitemap = [
      { n: 3, lastmod: new Date().toISOString() },
      { n: 4, lastmod: '2026-01-01T00:00:00Z' },
      { n: 8, lastmod: new Date().toISOString() },
    ];
    server.state.edited.add(3);
    await waitFor('article 7', () => storyCodes().includes(7), 30_000);
    const newItemSeconds = (Date.now() - changedAt) / 1000;
    await waitFor('round two', () => storyCodes().includes(8) && readRows(db(), 'select 1 from article_versions where version = 2').length > 0, 30_000);
    console.log(`new feed item → stored article with a 5 s interval: ${newItemSeconds.toFixed(1)} s`);

    // Nothing changes now: the polls that found the changes are over (article 8 and version 2
    // came from them), so the next poll of every source is a 304 with no body. The window ends
    // once each of the three has been polled again (the repeated 304s of one source across
    // restarts are counted in source-schedules.test.ts).
    const windowStart = Date.now();
    const windowPolls = () => server.requests.filter((r) => r.at >= windowStart && SOURCE_PATHS.includes(r.path));
    await waitFor('a poll of each source', () => SOURCE_PATHS.every((path) => windowPolls().some((r) => r.path === path)), POLL_WAIT_MS);
    const polls = windowPolls();
    const windowMs = Date.now() - windowStart;
    const hours = windowMs / 3_600_000;
    const bodyBytes = polls.reduce((sum, r) => sum + r.bytes, 0);
    console.log(
      `no change, 3 sources every 5 s: ${polls.length} polls in ${(windowMs / 1000).toFixed(1)} s ` +
        `(${(polls.length / hours).toFixed(0)} polls/hour), ${polls.filter((r) => r.status === 304).length} answered 304, ` +
        `${bodyBytes} body bytes (${((bodyBytes / hours) * (10 / 60)).toFixed(0)} per 10 minutes)`,
    );
    expect(polls.length).toBeGreaterThanOrEqual(3);
    expect(polls.every((r) => r.status === 304)).toBe(true);

    expect(storyCodes()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const n of [1, 2, 4, 5, 6, 7, 8]) expect(server.count(`/news/${n}.html`), `fetches of article ${n}`).toBe(1);
    expect(server.count('/news/3.html')).toBe(2);
    expect(server.count('/news/999.html') + server.count('/news/998.html')).toBe(0);
    expect(server.count('/feed.xml', 304)).toBeGreaterThanOrEqual(1);
    expect(server.count('/section', 304)).toBeGreaterThanOrEqual(1);

    const corrected = await versionsOf(3);
    expect(corrected.version).toBe(2);
    expect(corrected.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(corrected.versions[1]!.text).toMatch(/CORRECTED/);
    expect(corrected.text).toMatch(/CORRECTED/);
    const text = await runMain(['show', articleAt(3), '--versions'], env);
    expect(text.stdout).toMatch(/\{\+CORRECTED: the meeting was held on Tuesday\.\+\}/);

    const list = JSON.parse((await runMain(['source', 'list', '--format', 'json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(3);
    for (const source of list) {
      expect(source['polls']).toBeGreaterThanOrEqual(2);
      expect(['changed', 'unchanged', 'not-modified']).toContain(source['lastOutcome']);
      expect(source['nextRunAt']).toEqual(expect.any(String));
    }
    const stopped = await worker.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).not.toMatch(/"level":"error"/);
  }, WORKER_STEPS_TIMEOUT_MS);

  it('re-fetches on recrawl conditionally, once, and keeps unchanged articles at version 1', async () => {
    const first = await runMain(['recrawl', articleAt(1), articleAt(2)], env);
    expect(first.stdout).toContain('enqueued 2, already queued 0');
    const again = await runMain(['recrawl', articleAt(1), articleAt(2)], env);
    expect(again.stdout).toContain('enqueued 0, already queued 2');
    const before1 = server.count('/news/1.html');
    const before2 = server.count('/news/2.html');
    // The worker in this process, until the queues are empty (test two ran it as a process).
    const run = await runMain(['worker', '--until-idle'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/"level":"error"/);
    const statesSql = `select url, status from crawl_state where url in ('${articleAt(1)}', '${articleAt(2)}') order by url`;
    // Once, not more: no second fetch happened, and none is left queued to happen later.
    expect(await pendingJobs(env['QUEUE_PREFIX']!, FETCH_QUEUE)).toBe(0);
    // Article 1 has an ETag: 304. Article 2 has none: a 200 with the same content hash.
    expect(server.count('/news/1.html', 304)).toBe(1);
    expect(server.count('/news/2.html', 200)).toBe(2);
    expect(server.count('/news/1.html')).toBe(before1 + 1);
    expect(server.count('/news/2.html')).toBe(before2 + 1);
    expect((await versionsOf(1)).versions).toHaveLength(1);
    expect((await versionsOf(2)).versions).toHaveLength(1);
    const states = readRows<{ url: string; status: string }>(db(), statesSql);
    expect(states.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  }, WORKER_STEPS_TIMEOUT_MS);

  it('pauses, resumes and removes sources', async () => {
    const feed = `${server.origin}/feed.xml`;
    expect((await runMain(['source', 'pause', feed], env)).code).toBe(0);
    let list = JSON.parse((await runMain(['source', 'list', '--format', 'json'], env)).stdout) as Array<{ url: string; paused: boolean; nextRunAt: string | null }>;
    expect(list.find((s) => s.url === feed)).toMatchObject({ paused: true, nextRunAt: null });
    expect((await runMain(['source', 'resume', feed], env)).code).toBe(0);
    expect((await runMain(['source', 'remove', feed], env)).code).toBe(0);
    list = JSON.parse((await runMain(['source', 'list', '--format', 'json'], env)).stdout);
    expect(list.map((s) => s.url)).not.toContain(feed);
    const missing = await runMain(['source', 'remove', feed], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no source/);

    // Discovery: robots.txt names the sitemap, the home page links the RSS and Atom feeds; the usual paths answer 404.
    const discovered = await runMain(['source', 'discover', server.origin, '--format', 'json'], env);
    expect(discovered.code).toBe(0);
    expect(JSON.parse(discovered.stdout)).toEqual([
      { url: `${server.origin}/sitemap.xml`, kind: 'sitemap', via: 'robots.txt' },
      { url: `${server.origin}/feed.xml`, kind: 'feed', via: 'home page link' },
      { url: `${server.origin}/atom.xml`, kind: 'feed', via: 'home page link' },
    ]);
  });
});
