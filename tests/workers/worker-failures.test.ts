/**
 * The worker in-process against real Redis and SQLite: a page that makes extraction throw fails
 * its job with a recorded reason while the other pages go on; a 404 is recorded and not retried.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { parseConfig, type Config } from '../../src/config.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { silentLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { readDatabaseTotals } from '../../src/store/database-totals.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

let server: ArticleSiteServer;
let dir: string;
let config: Config;

beforeAll(async () => {
  server = await startArticleSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-workers-'));
  config = parseConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('workers'),
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
    RETRY_BASE_DELAY_MS: '50',
  });
});

afterAll(async () => {
  await server?.close();
  if (config) await deleteKeysWithPrefix(config.QUEUE_PREFIX);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fetch worker failures', () => {
  it('records an extraction crash and a 404 as failed, and stores the other pages', async () => {
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const urls = [`${server.origin}/news/1.html`, `${server.origin}/boom.html`, `${server.origin}/missing.html`, `${server.origin}/news/2.html`];
    const report = await enqueueUrls(config, redis, queues, urls, { now: new Date() });
    expect(report.enqueued).toBe(4);

    const workers = startWorkers({
      config,
      role: 'all',
      concurrency: 2,
      logger: silentLogger,
      profiles: [],
      extract: (html, options) => {
        if (html.includes('EXPLODE')) throw new Error('extractor exploded on purpose');
        return extractArticle(html, options);
      },
    });
    await workers.ready;
    const db = openDatabase(config.DATABASE_PATH);
    try {
      const deadline = Date.now() + 20_000;
      let totals = readDatabaseTotals(db, new Date());
      // The outcome is committed before its job settles in Redis (a role-all process stores its
      // own results, then completes or fails the job), so wait for both sides.
      while (Date.now() < deadline) {
        totals = readDatabaseTotals(db, new Date());
        const finished = (totals.urlsByStatus['stored'] ?? 0) + (totals.urlsByStatus['failed'] ?? 0);
        const failedJobs = await queues.fetch.getFailedCount();
        if (finished === 4 && failedJobs === 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(totals.urlsByStatus).toEqual({ stored: 2, failed: 2 });
      expect(totals.articles).toBe(2);
      const failures = Object.fromEntries(totals.recentFailures.map((f) => [new URL(f.url).pathname, f]));
      expect(failures['/boom.html']).toMatchObject({ reason: 'extraction-failed', error: 'extractor exploded on purpose', attempts: 1 });
      expect(failures['/missing.html']).toMatchObject({ reason: 'http-404', httpStatus: 404, attempts: 1 });
      // Permanent outcomes are not retried: each bad URL was requested once.
      expect(server.requests.filter((r) => r.path === '/missing.html')).toHaveLength(1);
      expect(server.requests.filter((r) => r.path === '/boom.html')).toHaveLength(1);
      const failed = await queues.fetch.getFailed();
      expect(failed.map((job) => job.failedReason).sort()).toEqual([
        'extraction-failed: extractor exploded on purpose',
        'http-404: HTTP 404',
      ]);
    } finally {
      closeDatabase(db);
      await workers.close();
      await queues.close();
      redis.disconnect();
    }
  });
});
