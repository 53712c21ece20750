/**
 * The store job against real SQLite and Redis: a database that refuses writes (here: full, via
 * max_page_count, which SQLite answers with SQLITE_FULL exactly as for a full disk) makes the
 * job wait and retry, loudly, and visibly for `ingest status`, until the write goes through;
 * re-storing the same result is harmless; an old outcome never overwrites a newer one; a URL
 * that ended failed leaves the known-URL set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { RedisClient } from '../../src/queue/redis-connection.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client.ts';
import { createLogger } from '../../src/log.ts';
import type { StoreJobData } from '../../src/queue/job-data.ts';
import { KnownUrls } from '../../src/queue/known-urls.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { readStoreHealth } from '../../src/queue/store-health.ts';
import type { CrawlOutcome } from '../../src/store/crawl-outcome.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';
import { createStoreJobHandler } from '../../workers/store-worker.ts';
import { makeArticle } from '../helpers/article-factory.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

let dir: string;
let redis: RedisClient;
const config = { QUEUE_PREFIX: uniqueQueuePrefix('store'), DATABASE_PATH: '' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-store-'));
  redis = createRedisConnection(TEST_REDIS_URL);
});

afterAll(async () => {
  redis?.disconnect();
  await deleteKeysWithPrefix(config.QUEUE_PREFIX);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function outcome(overrides: Partial<CrawlOutcome> = {}): CrawlOutcome {
  return {
    url: 'https://news.example/a/1', site: 'news.example', status: 'stored', reason: null, httpStatus: 200, error: null,
    attempts: 1, finalUrl: 'https://news.example/a/1', etag: null, lastModified: null, contentHash: null, fetchMs: 5,
    fetchedAt: '2024-03-28T10:00:00.000Z', nextFetchAt: null, ...overrides,
  };
}

/** A job as BullMQ hands it to the processor (only what the store handler touches). */
function fakeJob(data: StoreJobData): Job<StoreJobData> {
  return { id: 'store-1', data, attemptsMade: 0, opts: { attempts: 5 }, moveToDelayed: async () => undefined } as unknown as Job<StoreJobData>;
}

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(JSON.parse(line))) };
}

function openFresh(name: string): Db {
  const path = join(dir, name);
  config.DATABASE_PATH = path;
  return openDatabase(path);
}

describe('store job', () => {
  it('waits while the database is full, logs it once, shows it in status, and stores the result when space comes back', async () => {
    const db = openFresh('full.db');
    const { lines, logger } = capturingLogger();
    const stopping = new AbortController();
    const handler = createStoreJobHandler({ db, logger, redis, config, stopping: stopping.signal, timing: { firstDelayMs: 20, maxDelayMs: 60, reminderMs: 60_000 } });
    // Fill the file: no page may be added, so the article's insert fails with SQLITE_FULL.
    const pages = db.$client.pragma('page_count', { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages}`);
    const bigText = 'Lorem ipsum dolor sit amet. '.repeat(4_000);
    const job = fakeJob({ outcome: outcome(), article: makeArticle({ url: 'https://news.example/a/1', text: bigText, wordCount: 20_000 }) });
    let settled = false;
    const storing = handler(job, 'token').finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    const waiting = lines.filter((line) => String(line['message']).startsWith('store waiting'));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ level: 'error', code: 'SQLITE_FULL', url: 'https://news.example/a/1' });
    expect(await readStoreHealth(redis, config)).toMatchObject({ state: 'waiting', lastError: expect.stringContaining('SQLITE_FULL') });

    db.$client.pragma('max_page_count = 1073741823');
    await expect(storing).resolves.toBe('inserted');
    expect(lines.filter((line) => String(line['message']).startsWith('store recovered'))).toHaveLength(1);
    expect(lines.filter((line) => String(line['message']).startsWith('store waiting'))).toHaveLength(1);
    await expect.poll(() => readStoreHealth(redis, config)).toMatchObject({ state: 'ok', lastError: expect.stringContaining('SQLITE_FULL') });
    expect(readRows(config.DATABASE_PATH, 'select status from crawl_state')).toEqual([{ status: 'stored' }]);
    closeDatabase(db);
  });

  it('hands a waiting job back to the queue when the process stops, without using an attempt', async () => {
    const db = openFresh('stop.db');
    const stopping = new AbortController();
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: stopping.signal, timing: { firstDelayMs: 20, maxDelayMs: 60 } });
    db.$client.pragma(`max_page_count = ${db.$client.pragma('page_count', { simple: true }) as number}`);
    let delayedUntil: number | null = null;
    const job = fakeJob({ outcome: outcome(), article: makeArticle({ text: 'x '.repeat(50_000) }) });
    (job as unknown as { moveToDelayed: (at: number) => Promise<void> }).moveToDelayed = async (at) => {
      delayedUntil = at;
    };
    const storing = handler(job, 'token');
    await new Promise((r) => setTimeout(r, 200));
    stopping.abort();
    await expect(storing).rejects.toMatchObject({ name: 'DelayedError' });
    expect(delayedUntil).not.toBeNull();
    closeDatabase(db);
  });

  it('stores the same result twice harmlessly, and never lets an older outcome overwrite a newer one', async () => {
    const db = openFresh('idempotent.db');
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: new AbortController().signal });
    const data: StoreJobData = { outcome: outcome({ fetchedAt: '2024-03-28T10:00:05.000Z' }), article: makeArticle() };
    await expect(handler(fakeJob(data), 't1')).resolves.toBe('inserted');
    await expect(handler(fakeJob(data), 't2')).resolves.toBe('unchanged');
    // A "retrying" outcome of an earlier attempt, stored late (its job waited for the database).
    await handler(fakeJob({ outcome: outcome({ status: 'retrying', reason: 'timeout', fetchedAt: '2024-03-28T10:00:00.000Z' }) }), 't3');
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from articles')).toEqual([{ n: 1 }]);
    expect(readRows(config.DATABASE_PATH, 'select status, reason from crawl_state')).toEqual([{ status: 'stored', reason: null }]);
    closeDatabase(db);
  });

  it('takes a URL that ended failed out of the known-URL set, so it can be enqueued again', async () => {
    const db = openFresh('known.db');
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: new AbortController().signal });
    const failedUrl = 'https://news.example/gone';
    const storedUrl = 'https://news.example/kept';
    const known = new KnownUrls(redis, config.QUEUE_PREFIX);
    await known.add([jobIdForUrl(failedUrl), jobIdForUrl(storedUrl)]);
    await handler(fakeJob({ outcome: outcome({ url: failedUrl, status: 'failed', reason: 'http-404', httpStatus: 404 }) }), 't');
    await handler(fakeJob({ outcome: outcome({ url: storedUrl }), article: makeArticle({ url: storedUrl, canonicalUrl: storedUrl }) }), 't');
    expect(await known.has([jobIdForUrl(failedUrl), jobIdForUrl(storedUrl)])).toEqual([false, true]);
    closeDatabase(db);
  });

  it('commits jobs that arrive together in one transaction, and answers each only once its write is visible to other connections', async () => {
    const db = openFresh('batch.db');
    const transactions = countTransactions(db);
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: new AbortController().signal });
    const urls = Array.from({ length: 20 }, (_, i) => `https://news.example/batch/${i}`);
    const seenAtAnswer = await Promise.all(
      urls.map((url) =>
        handler(fakeJob({ outcome: outcome({ url }), article: makeArticle({ url, canonicalUrl: url }) }), 't').then(
          (result) => [result, readRows(config.DATABASE_PATH, `select status from crawl_state where url = '${url}'`)] as const,
        ),
      ),
    );
    for (const [result, rows] of seenAtAnswer) {
      expect(result).toBe('inserted');
      expect(rows).toEqual([{ status: 'stored' }]);
    }
    expect(transactions()).toBe(1);
    closeDatabase(db);
  });

  it('a data error in a batch fails only its own job, and after its last attempt the URL is recorded store-failed', async () => {
    const db = openFresh('data-error.db');
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: new AbortController().signal });
    const job = (url: string, text: string | null, attemptsMade = 0) => {
      const j = fakeJob({ outcome: outcome({ url }), article: makeArticle({ url, canonicalUrl: url, text: text as string }) });
      (j as unknown as { attemptsMade: number }).attemptsMade = attemptsMade;
      return j;
    };
    const bad = 'https://news.example/bad';
    const results = await Promise.allSettled([
      handler(job('https://news.example/good-1', 'Good text.'), 't'),
      handler(job(bad, null), 't'), // NOT NULL constraint: an error about this job's data
      handler(job('https://news.example/good-2', 'More good text.'), 't'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    expect(readRows(config.DATABASE_PATH, 'select url from articles order by url')).toEqual([{ url: 'https://news.example/good-1' }, { url: 'https://news.example/good-2' }]);
    // Its last attempt: recorded as failed for a person to see, and failed for good.
    await expect(handler(job(bad, null, 4), 't')).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringContaining('store-failed') });
    expect(readRows(config.DATABASE_PATH, `select status, reason from crawl_state where url = '${bad}'`)).toEqual([{ status: 'failed', reason: 'store-failed' }]);
    closeDatabase(db);
  });

  it('when the disk fills in the middle of a batch, the whole batch waits and then stores in arrival order', async () => {
    const db = openFresh('full-mid-batch.db');
    const { lines, logger } = capturingLogger();
    const transactions = countTransactions(db);
    const handler = createStoreJobHandler({ db, logger, redis, config, stopping: new AbortController().signal, timing: { firstDelayMs: 20, maxDelayMs: 40 } });
    // Room for a few small rows, not for the big one that comes third.
    db.$client.pragma(`max_page_count = ${(db.$client.pragma('page_count', { simple: true }) as number) + 8}`);
    const same = 'https://news.example/same';
    const first = makeArticle({ url: same, canonicalUrl: same, title: 'First version', text: 'The first text of the story.', contentHash: 'hash-1' });
    const second = makeArticle({ url: same, canonicalUrl: same, title: 'Second version', text: 'The corrected text of the story.', contentHash: 'hash-2' });
    const big = 'https://news.example/big';
    const storing = Promise.all([
      handler(fakeJob({ outcome: outcome({ url: same, fetchedAt: '2024-03-28T10:00:00.000Z' }), article: first }), 't'),
      handler(fakeJob({ outcome: outcome({ url: 'https://news.example/small' }), article: makeArticle({ url: 'https://news.example/small', canonicalUrl: 'https://news.example/small' }) }), 't'),
      handler(fakeJob({ outcome: outcome({ url: big }), article: makeArticle({ url: big, canonicalUrl: big, text: 'Lorem ipsum dolor sit amet. '.repeat(4_000) }) }), 't'),
      handler(fakeJob({ outcome: outcome({ url: same, fetchedAt: '2024-03-28T10:05:00.000Z' }), article: second }), 't'),
    ]);
    let settled = false;
    void storing.finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from articles')).toEqual([{ n: 0 }]);
    expect(lines.filter((line) => String(line['message']).startsWith('store waiting'))).toHaveLength(1);
    const triesWhileFull = transactions();
    expect(triesWhileFull).toBeGreaterThanOrEqual(2); // the batch, then at least one retry

    db.$client.pragma('max_page_count = 1073741823');
    await expect(storing).resolves.toEqual(['inserted', 'inserted', 'inserted', 'updated']);
    expect(readRows(config.DATABASE_PATH, `select title from articles where url = '${same}'`)).toEqual([{ title: 'Second version' }]);
    expect(readRows(config.DATABASE_PATH, 'select v.version, v.title from article_versions v join articles a on a.id = v.article_id where a.url = ' + `'${same}' order by v.version`)).toEqual([
      { version: 1, title: 'First version' },
      { version: 2, title: 'Second version' },
    ]);
    // The wait took whole batches (not write by write): one more transaction stored all four.
    expect(transactions() - triesWhileFull).toBe(1);
    closeDatabase(db);
  });

  it('on shutdown, every job waiting for the database goes back to the queue, and none is written', async () => {
    const db = openFresh('stop-many.db');
    const stopping = new AbortController();
    const handler = createStoreJobHandler({ db, logger: capturingLogger().logger, redis, config, stopping: stopping.signal, timing: { firstDelayMs: 20, maxDelayMs: 60 } });
    db.$client.pragma(`max_page_count = ${db.$client.pragma('page_count', { simple: true }) as number}`);
    const putBack: string[] = [];
    const jobs = Array.from({ length: 5 }, (_, i) => {
      const url = `https://news.example/waiting/${i}`;
      const job = fakeJob({ outcome: outcome({ url }), article: makeArticle({ url, canonicalUrl: url, text: 'x '.repeat(20_000) }) });
      (job as unknown as { moveToDelayed: () => Promise<void> }).moveToDelayed = async () => void putBack.push(url);
      return job;
    });
    const storing = jobs.map((job) => handler(job, 'token'));
    await new Promise((r) => setTimeout(r, 200));
    stopping.abort();
    for (const result of await Promise.allSettled(storing)) expect(result).toMatchObject({ status: 'rejected', reason: { name: 'DelayedError' } });
    expect(putBack.sort()).toEqual(jobs.map((job) => job.data.outcome.url).sort());
    db.$client.pragma('max_page_count = 1073741823');
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from crawl_state')).toEqual([{ n: 0 }]);
    closeDatabase(db);
  });
});

/** Counts the write transactions begun on the database's connection from now on. */
function countTransactions(db: Db): () => number {
  let count = 0;
  const sqlite = db.$client;
  const begin = sqlite.transaction.bind(sqlite);
  sqlite.transaction = ((fn: (...args: unknown[]) => unknown) => {
    count += 1;
    return begin(fn);
  }) as typeof sqlite.transaction;
  return () => count;
}
