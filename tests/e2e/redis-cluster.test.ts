/**
 * The pipeline on a Redis Cluster: a 3-master cluster on loopback, QUEUE_PREFIX with a hash tag,
 * 500 pages enqueued, fetched, extracted and stored exactly once (one fetch per page, one row per
 * article, one attempt per URL), and a second enqueue finds them all known.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createCommandConnection, type RedisClient } from '../../src/queue/redis-connection.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { clusterToolsMissing, startRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.ts';

const PAGES = 500;
/** A crawl of 500 pages on a loaded 2-core machine, with the cluster's start-up. */
const CRAWL_TIMEOUT_MS = 240_000;

const missing = clusterToolsMissing();
if (missing) console.warn(`skipping the Redis Cluster test: ${missing}`);

describe.skipIf(missing !== null)('the pipeline on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let server: ArticleSiteServer;
  let dir: string;
  let config: Config;
  let redis: RedisClient;

  beforeAll(async () => {
    [cluster, server] = await Promise.all([startRedisCluster(), startArticleSiteServer()]);
    dir = mkdtempSync(join(tmpdir(), 'ingest-cluster-'));
    config = parseConfig({
      REDIS_URL: cluster.url,
      QUEUE_PREFIX: '{ingest-test}',
      DATABASE_PATH: join(dir, 'articles.db'),
      ALLOW_PRIVATE_NETWORKS: 'true',
      PER_HOST_CONCURRENCY: '16',
      PER_HOST_DELAY_MS: '0',
      RESPECT_ROBOTS: 'true',
    });
    redis = createCommandConnection(config.REDIS_URL);
    await redis.connect();
  }, 60_000);

  afterAll(async () => {
    redis?.disconnect();
    await server?.close();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a prefix without a hash tag on a cluster, naming the fix', () => {
    expect(() => parseConfig({ REDIS_URL: cluster.url, QUEUE_PREFIX: 'ingest' })).toThrow(/QUEUE_PREFIX="ingest": .*hash tag.*\{ingest\}/);
  });

  it(`crawls ${PAGES} pages exactly once`, async () => {
    const queues = openQueues(config, redis);
    const urls = Array.from({ length: PAGES }, (_, n) => `${server.origin}/news/${n}.html`);
    const workers = startWorkers({ config, role: 'all', concurrency: 16, logger: silentLogger, profiles: [] });
    try {
      await workers.ready;
      const first = await enqueueUrls(config, redis, queues, urls, { now: new Date() });
      expect(first).toMatchObject({ enqueued: PAGES, alreadyKnown: 0 });
      const deadline = Date.now() + CRAWL_TIMEOUT_MS;
      const finished = () =>
        readRows<{ n: number }>(config.DATABASE_PATH, `select count(*) as n from crawl_state where status in ('stored', 'failed', 'unchanged')`)[0]?.n ?? 0;
      while (finished() < PAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

      const states = readRows<{ status: string; attempts: number; n: number }>(
        config.DATABASE_PATH,
        'select status, attempts, count(*) as n from crawl_state group by status, attempts',
      );
      expect(states).toEqual([{ status: 'stored', attempts: 1, n: PAGES }]);
      const articles = readRows<{ rows: number; codes: number }>(config.DATABASE_PATH, 'select count(*) as rows, count(distinct story_code) as codes from articles');
      expect(articles).toEqual([{ rows: PAGES, codes: PAGES }]);
      const pageFetches = server.requests.filter((request) => request.path.startsWith('/news/'));
      expect(pageFetches).toHaveLength(PAGES);
      expect(new Set(pageFetches.map((request) => request.path)).size).toBe(PAGES);
      // Every key of the pipeline shares the prefix's slot, on one master.
      const slotOf = async (key: string) => Number(await redis.call('CLUSTER', 'KEYSLOT', key));
      expect(await slotOf('{ingest-test}:known:0')).toBe(await slotOf('{ingest-test}:fetch:wait'));

      const again = await enqueueUrls(config, redis, queues, urls, { now: new Date() });
      expect(again).toMatchObject({ enqueued: 0, alreadyKnown: PAGES });
    } finally {
      await workers.close();
      await queues.close();
    }
  }, CRAWL_TIMEOUT_MS + 30_000);
});
