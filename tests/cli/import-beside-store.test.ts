/**
 * `ingest import` beside a running store worker: both write the same SQLite file, and with
 * immediate transactions each waits for the other's write lock (busy_timeout) instead of
 * failing with "database is locked". 3,000 dumps are imported while store jobs keep coming.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { StoreJobData } from '../../src/queue/job-data.ts';
import { storeJobOptions } from '../../src/queue/job-options.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { makeArticle } from '../helpers/article-factory.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';
import { collect, spawnCli } from '../helpers/run-cli.ts';

const DUMPS = 3_000;
/**
 * Store jobs added per tick once the import has begun writing, until it ends: a crawl storing
 * steadily beside it (20 a second, which even a loaded store worker keeps up with).
 */
const STORE_JOBS_PER_TICK = 2;
const TICK_MS = 100;

const DUMP = readFileSync(new URL('../fixtures/text-dumps/theiranproject-269797.txt', import.meta.url), 'utf8');

let dir: string;
let config: Config;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-import-store-'));
  const dumps = join(dir, 'dumps');
  mkdirSync(dumps);
  for (let n = 0; n < DUMPS; n += 1) {
    const code = String(500_000 + n);
    writeFileSync(join(dumps, `dump-${code}.txt`), DUMP.replaceAll('269797', code).replace('Iran, Turkey stress expansion', `Iran, Turkey stress expansion ${n}`));
  }
  config = parseConfig({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueQueuePrefix('import-store'), DATABASE_PATH: join(dir, 'articles.db') });
});

afterAll(async () => {
  if (config) await deleteKeysWithPrefix(config.QUEUE_PREFIX);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function storeJob(n: number): StoreJobData {
  const url = `https://crawl.example/a/${n}`;
  return {
    outcome: {
      url, site: 'crawl.example', status: 'stored', reason: null, httpStatus: 200, error: null, attempts: 1, finalUrl: url, etag: null,
      lastModified: null, contentHash: null, fetchMs: 3, fetchedAt: new Date().toISOString(), nextFetchAt: null,
    },
    article: makeArticle({ url, canonicalUrl: url, site: 'crawl.example', title: `Crawled ${n}`, text: `Crawled article ${n}.\n\nIts second paragraph.` }),
  };
}

describe('ingest import beside a running store worker', () => {
  it('imports 3,000 dumps while the store worker keeps writing, and both lose nothing', async () => {
    const workers = startWorkers({ config, role: 'store', concurrency: 1, logger: silentLogger, profiles: [] });
    await workers.ready;
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    let fed = 0;
    let importing = true;
    const feeding = (async () => {
      while (importing) {
        await new Promise((r) => setTimeout(r, TICK_MS));
        if (fed === 0 && readRows(config.DATABASE_PATH, "select 1 from articles where site = 'theiranproject.com' limit 1").length === 0) continue;
        await queues.store.addBulk(Array.from({ length: STORE_JOBS_PER_TICK }, () => ({ name: 'store', data: storeJob(fed++), opts: storeJobOptions() })));
      }
    })();
    const result = await collect(spawnCli(['import', join(dir, 'dumps')], { DATABASE_PATH: config.DATABASE_PATH, LOG_LEVEL: 'warn' }));
    importing = false;
    await feeding;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (readRows<{ n: number }>(config.DATABASE_PATH, "select count(*) as n from crawl_state where status = 'stored'")[0]?.n ?? 0) < fed) {
      await new Promise((r) => setTimeout(r, 100));
    }
    await workers.close();
    await queues.close();
    redis.disconnect();

    expect(result.stderr).not.toMatch(/locked|busy/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`imported ${DUMPS} new`);
    expect(fed).toBeGreaterThan(0);
    expect(readRows(config.DATABASE_PATH, "select count(*) as n from crawl_state where status = 'stored'")).toEqual([{ n: fed }]);
    expect(readRows(config.DATABASE_PATH, 'select count(*) as n from articles')).toEqual([{ n: DUMPS + fed }]);
  }, 300_000);
});
