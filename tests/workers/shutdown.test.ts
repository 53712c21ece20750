/**
 * Shutting down a `--role all` worker: the fetches in flight finish and their results are
 * stored before close() returns (the store queue this process fed is drained); past the
 * deadline (grace period over, or a second signal) the jobs in flight go back to the queue at
 * once instead of being left locked, to be counted as stalled later.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { silentLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { goldenVariant } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const PAGES = 6;

let server: Server;
let origin: string;
let answerDelayMs = 0;
let requests = 0;
let dir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    const n = Number(/^\/slow\/(\d+)\.html$/.exec(req.url ?? '')?.[1] ?? 0);
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(goldenVariant(n));
    }, answerDelayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ingest-shutdown-'));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function configFor(label: string): Config {
  const prefix = uniqueQueuePrefix(label);
  prefixes.push(prefix);
  return parseConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATABASE_PATH: join(dir, `${label}.db`),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_CONCURRENCY: String(PAGES),
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
  });
}

async function startWithFetchesInFlight(label: string, delayMs: number) {
  answerDelayMs = delayMs;
  requests = 0;
  const config = configFor(label);
  const redis = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, redis);
  const urls = Array.from({ length: PAGES }, (_, n) => `${origin}/slow/${n}.html`);
  await enqueueUrls(config, redis, queues, urls, { now: new Date() });
  // In-process extraction: this test is about shutdown, and the pool's thread start-up (covered
  // by tests/workers/extraction-pool.test.ts) would only add seconds on a loaded machine.
  const workers = startWorkers({ config, role: 'all', concurrency: PAGES, logger: silentLogger, profiles: [], extract: extractArticle });
  await workers.ready;
  const deadline = Date.now() + 20_000;
  while (requests < PAGES && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(requests).toBe(PAGES);
  return { config, redis, queues, workers };
}

describe('worker shutdown', () => {
  it('stores every result fetched before it returns', async () => {
    const { config, redis, queues, workers } = await startWithFetchesInFlight('drain', 1_000);
    await workers.close({ deadline: AbortSignal.timeout(30_000) });
    expect(readRows(config.DATABASE_PATH, 'select status, count(*) as n from crawl_state group by status')).toEqual([{ status: 'stored', n: PAGES }]);
    expect(await queues.store.getJobCounts('waiting', 'active', 'delayed')).toEqual({ waiting: 0, active: 0, delayed: 0 });
    await queues.close();
    redis.disconnect();
  });

  it('past the deadline, hands the jobs in flight back to the queue at once', async () => {
    const { redis, queues, workers } = await startWithFetchesInFlight('forced', 15_000);
    const started = Date.now();
    await workers.close({ deadline: AbortSignal.abort() });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await queues.fetch.getJobCounts('waiting', 'active')).toEqual({ waiting: PAGES, active: 0 });
    await queues.close();
    redis.disconnect();
  });

  it('closes cleanly while still starting up (Redis not reachable yet)', async () => {
    const config = { ...configFor('startup'), REDIS_URL: 'redis://127.0.0.1:1' };
    const workers = startWorkers({ config, role: 'all', concurrency: 2, logger: silentLogger, profiles: [] });
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await workers.close({ deadline: AbortSignal.timeout(2_000) });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
