/**
 * The fetch side's hand-off and retry limits, against real Redis and SQLite:
 * - a job that re-runs with the same attempt number (it stalled) hands off a second store job
 *   instead of one BullMQ silently drops, and the store keeps one article;
 * - the job's own `attempts` decides when a URL is recorded as failed, not the worker's
 *   FETCH_ATTEMPTS (an enqueuer with 2 and a worker with 4 end with "failed" after 2);
 * - a `--role all` process stores its own results without a store job, and counts them; a
 *   result its local store refuses goes to the store queue, and is stored from there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import { HostPoliteness } from '../../src/fetch/host-politeness.ts';
import { silentLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import type { FetchJobData, StoreJobData } from '../../src/queue/job-data.ts';
import { openQueues, type PipelineQueues } from '../../src/queue/queues.ts';
import { readStoreHealth } from '../../src/queue/store-health.ts';
import { createRedisConnection, type RedisClient } from '../../src/queue/redis-connection.ts';
import { createFetchJobHandler, decodingFirst, type Extractor, type FetchJobDeps } from '../../workers/fetch-worker.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { createStoreJobHandler, createStoreWriting, LocalStoreRefusedError } from '../../workers/store-worker.ts';
import { attachWorkerStats, WorkerStats } from '../../workers/worker-stats.ts';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

let site: ArticleSiteServer;
let unavailable: Server;
let unavailableOrigin: string;
let unavailableHits = 0;
let dir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  site = await startArticleSiteServer();
  unavailable = createServer((_req, res) => {
    unavailableHits += 1;
    res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
  });
  await new Promise<void>((resolve) => unavailable.listen(0, '127.0.0.1', resolve));
  unavailableOrigin = `http://127.0.0.1:${(unavailable.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ingest-handoff-'));
});

afterAll(async () => {
  await site?.close();
  unavailable?.closeAllConnections();
  await new Promise<void>((resolve) => (unavailable ? unavailable.close(() => resolve()) : resolve()));
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function configFor(label: string, env: Record<string, string> = {}): Config {
  const prefix = uniqueQueuePrefix(label);
  prefixes.push(prefix);
  return parseConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATABASE_PATH: join(dir, `${label}.db`),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
    RETRY_BASE_DELAY_MS: '50',
    ...env,
  });
}

/** A fetch job handler as a worker builds it, on the test's Redis and queues (in-process extraction unless given another). */
function fetchJobHandler(options: {
  config: Config;
  redis: RedisClient;
  queues: PipelineQueues;
  dispatcher: Dispatcher;
  extract?: Extractor;
  storeLocally?: FetchJobDeps['storeLocally'];
}) {
  const { config, redis, queues, dispatcher } = options;
  return createFetchJobHandler({
    config,
    storeQueue: queues.store,
    dispatcher,
    extract: options.extract ?? decodingFirst(extractArticle),
    profiles: [],
    politeness: new HostPoliteness(redis, { prefix: config.QUEUE_PREFIX, concurrency: 4, delayMs: 0, leaseMs: 30_000 }),
    robots: null,
    logger: silentLogger,
    ...(options.storeLocally ? { storeLocally: options.storeLocally } : {}),
  });
}

describe('fetch hand-off', () => {
  it('hands off again when a job re-runs with the same attempt number, and the store keeps one article', async () => {
    const config = configFor('rerun');
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 5_000 });
    const handler = fetchJobHandler({ config, redis, queues, dispatcher });
    const url = `${site.origin}/news/3.html`;
    // The same job twice, as BullMQ gives it after a stall: same id, same attemptsMade.
    const job = { id: 'job-3', data: { url, site: '127.0.0.1', enqueuedAt: new Date().toISOString() }, attemptsMade: 0, opts: { attempts: 4 } } as unknown as Job<FetchJobData>;
    await expect(handler(job, 'run-1')).resolves.toBe('stored');
    await expect(handler(job, 'run-2')).resolves.toBe('stored');
    const handedOff = await queues.store.getJobs(['waiting']);
    expect(handedOff).toHaveLength(2);
    expect(new Set(handedOff.map((j) => j.id)).size).toBe(2);

    const db = openDatabase(config.DATABASE_PATH);
    const store = createStoreJobHandler({ db, logger: silentLogger, redis, config, stopping: new AbortController().signal });
    const outcomes = [];
    for (const stored of handedOff) outcomes.push(await store(stored as Job<StoreJobData>, 'store'));
    expect(outcomes.sort()).toEqual(['inserted', 'unchanged']);
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from articles')).toEqual([{ n: 1 }]);
    expect(readRows(config.DATABASE_PATH, 'select status from crawl_state')).toEqual([{ status: 'stored' }]);
    closeDatabase(db);
    await dispatcher.close();
    await queues.close();
    redis.disconnect();
  });

  it('records a URL as failed after the job\'s own attempts, whatever the worker\'s FETCH_ATTEMPTS', async () => {
    const enqueuer = configFor('attempts', { FETCH_ATTEMPTS: '2' });
    const worker = { ...enqueuer, FETCH_ATTEMPTS: 4 };
    const redis = createRedisConnection(enqueuer.REDIS_URL);
    const queues = openQueues(enqueuer, redis);
    await enqueueUrls(enqueuer, redis, queues, [`${unavailableOrigin}/maintenance.html`], { now: new Date() });
    // In-process extraction: the page never answers 200, so the pool's threads would only add start-up time.
    const workers = startWorkers({ config: worker, role: 'all', concurrency: 1, logger: silentLogger, profiles: [], extract: extractArticle });
    await workers.ready;
    const deadline = Date.now() + 20_000;
    let rows: Array<{ status: string; reason: string; attempts: number }> = [];
    while (Date.now() < deadline) {
      rows = readRows(enqueuer.DATABASE_PATH, 'select status, reason, attempts from crawl_state');
      if (rows[0]?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await workers.close();
    expect(rows).toEqual([{ status: 'failed', reason: 'http-503', attempts: 2 }]);
    expect(unavailableHits).toBe(2);
    expect(await queues.fetch.getJobCounts('waiting', 'delayed', 'active')).toEqual({ waiting: 0, delayed: 0, active: 0 });
    await queues.close();
    redis.disconnect();
  });

  it('role all: stores its own results without a single store job, and counts each one', async () => {
    const config = configFor('local');
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const urls = Array.from({ length: 6 }, (_, n) => `${site.origin}/news/${n + 1}.html`);
    await enqueueUrls(config, redis, queues, urls, { now: new Date() });
    // In-process extraction: the pool's threads are covered by tests/workers/extraction-pool.test.ts.
    const workers = startWorkers({ config, role: 'all', concurrency: 3, logger: silentLogger, profiles: [], extract: extractArticle });
    await workers.ready;
    const stats = new WorkerStats();
    attachWorkerStats(stats, workers.workers, workers.localStore);
    expect(workers.localStore).not.toBeNull();
    const deadline = Date.now() + 20_000;
    while (stats.snapshot().fetched < urls.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await workers.close();
    expect(stats.snapshot()).toMatchObject({ fetched: urls.length, stored: urls.length, failed: 0 });
    expect(readRows(config.DATABASE_PATH, 'select status, count(*) as n from crawl_state group by status')).toEqual([{ status: 'stored', n: urls.length }]);
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from articles')).toEqual([{ n: urls.length }]);
    expect(await queues.store.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    expect(await queues.fetch.getJobCounts('waiting', 'active', 'delayed', 'failed')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    await queues.close();
    redis.disconnect();
  });

  it('a result the local store refuses (the database is full) goes to the store queue, and is stored from there once it has room', async () => {
    const config = configFor('refused');
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const db = openDatabase(config.DATABASE_PATH);
    const stopping = new AbortController();
    const writing = createStoreWriting({ db, logger: silentLogger, redis, config, stopping: stopping.signal, timing: { firstDelayMs: 20, maxDelayMs: 60, reminderMs: 60_000 } });
    const dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 5_000 });
    const handler = fetchJobHandler({
      config, redis, queues, dispatcher,
      // A long text: its write needs new pages, which the full file refuses.
      extract: decodingFirst((html, options) => {
        const result = extractArticle(html, options);
        return { ...result, article: { ...result.article, text: `${result.article.text}\n\n${'Lorem ipsum dolor sit amet. '.repeat(4_000)}` } };
      }),
      storeLocally: (data) => writing.local.write(data),
    });
    const jobFor = (n: number) =>
      ({ id: `job-${n}`, data: { url: `${site.origin}/news/${n}.html`, site: '127.0.0.1' }, attemptsMade: 0, opts: { attempts: 4 } }) as unknown as Job<FetchJobData>;
    // The file is full: the first result's write is refused, and it waits in the batcher.
    db.$client.pragma(`max_page_count = ${db.$client.pragma('page_count', { simple: true }) as number}`);
    let firstSettled = false;
    const first = handler(jobFor(1), 't1').finally(() => (firstSettled = true));
    await expect.poll(() => readStoreHealth(redis, config), { timeout: 10_000 }).toMatchObject({ state: 'waiting' });
    // While the database refuses writes, the next result is handed to the store queue at once.
    await expect(handler(jobFor(2), 't2')).resolves.toBe('stored');
    expect(firstSettled).toBe(false);
    const handedOff = await queues.store.getJobs(['waiting']);
    expect(handedOff.map((job) => job.data.outcome.url)).toEqual([`${site.origin}/news/2.html`]);

    db.$client.pragma('max_page_count = 1073741823');
    await expect(first).resolves.toBe('stored');
    await expect(writing.handleStoreJob(handedOff[0] as Job<StoreJobData>, 'store')).resolves.toBe('inserted');
    expect(readRows(config.DATABASE_PATH, 'select url, status from crawl_state order by url')).toEqual([
      { url: `${site.origin}/news/1.html`, status: 'stored' },
      { url: `${site.origin}/news/2.html`, status: 'stored' },
    ]);
    // Stopping: the local store takes nothing more, so results go to the queue for the next start.
    stopping.abort();
    await expect(writing.local.write(handedOff[0]!.data as StoreJobData)).rejects.toBeInstanceOf(LocalStoreRefusedError);
    closeDatabase(db);
    await dispatcher.close();
    await queues.close();
    redis.disconnect();
  });

  it('a result whose write fails in the local store (a data error) is handed to the store queue instead of being written', async () => {
    const config = configFor('local-data-error');
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const db = openDatabase(config.DATABASE_PATH);
    const writing = createStoreWriting({ db, logger: silentLogger, redis, config, stopping: new AbortController().signal });
    const dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 5_000 });
    const handler = fetchJobHandler({
      config, redis, queues, dispatcher,
      // An article the database refuses: its extractor is NOT NULL.
      extract: decodingFirst((html, options) => {
        const result = extractArticle(html, options);
        return { ...result, article: { ...result.article, extractor: null as unknown as string } };
      }),
      storeLocally: (data) => writing.local.write(data),
    });
    const url = `${site.origin}/news/4.html`;
    const job = { id: 'job-4', data: { url, site: '127.0.0.1' }, attemptsMade: 0, opts: { attempts: 4 } } as unknown as Job<FetchJobData>;
    expect(await handler(job, 't')).toBe('stored');
    const handedOff = await queues.store.getJobs(['waiting']);
    expect(handedOff.map((j) => j.data.outcome.url)).toEqual([url]);
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from crawl_state')).toEqual([{ n: 0 }]);
    closeDatabase(db);
    await dispatcher.close();
    await queues.close();
    redis.disconnect();
  });
});
