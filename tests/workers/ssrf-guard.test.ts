/**
 * With the default configuration, no spelling of a loopback address reaches a loopback server
 * through the whole pipeline: each URL is recorded as failed "forbidden-address" and the server
 * never sees a connection.
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
import { startWorkers } from '../../workers/start-workers.ts';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

let server: FaultServer;
let dir: string;
let config: Config;

beforeAll(async () => {
  server = await startFaultServer({ host: '127.0.0.1' });
  dir = mkdtempSync(join(tmpdir(), 'ingest-ssrf-'));
  // Only what a test must change: Redis keys, the database file, no politeness waits.
  config = parseConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('ssrf'),
    DATABASE_PATH: join(dir, 'articles.db'),
    PER_HOST_DELAY_MS: '0',
    PER_HOST_CONCURRENCY: '16',
  });
});

afterAll(async () => {
  await server?.close();
  if (config) await deleteKeysWithPrefix(config.QUEUE_PREFIX);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SSRF guard, default configuration', () => {
  it('refuses every spelling of loopback, before connecting', async () => {
    expect(config.ALLOW_PRIVATE_NETWORKS).toBe(false);
    const port = server.port;
    const spellings = [
      `http://127.0.0.1:${port}/ok`,
      `http://2130706433:${port}/ok`,
      `http://0x7f000001:${port}/ok`,
      `http://0177.0.0.1:${port}/ok`,
      `http://127.1:${port}/ok`,
      `http://0x7f.1:${port}/ok`,
      `http://localhost:${port}/ok`,
      `http://LOCALHOST.:${port}/ok`,
      `http://app.localhost:${port}/ok`,
      `http://[::1]:${port}/ok`,
      `http://[::ffff:127.0.0.1]:${port}/ok`,
      `http://[::ffff:7f00:1]:${port}/ok`,
      `http://[0:0:0:0:0:ffff:127.0.0.1]:${port}/ok`,
      `http://0.0.0.0:${port}/ok`,
      `http://169.254.169.254/latest/meta-data/`,
    ];
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    const report = await enqueueUrls(config, redis, queues, spellings, { now: new Date() });
    const distinct = report.enqueued;
    expect(report.invalid).toEqual([]);

    // In-process extraction: no page is ever fetched here, so the pool's threads would only add start-up time.
    const workers = startWorkers({ config, role: 'all', concurrency: 8, logger: silentLogger, profiles: [], extract: extractArticle });
    await workers.ready;
    const db = openDatabase(config.DATABASE_PATH);
    try {
      const rows = () => db.$client.prepare('select url, status, reason from crawl_state').all() as Array<{ url: string; status: string; reason: string }>;
      const deadline = Date.now() + 20_000;
      while (rows().length < distinct && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(rows()).toHaveLength(distinct);
      for (const row of rows()) expect(row, row.url).toMatchObject({ status: 'failed', reason: 'forbidden-address' });
      expect(server.connections).toBe(0);
      expect(server.requests).toEqual([]);
    } finally {
      closeDatabase(db);
      await workers.close();
      await queues.close();
      redis.disconnect();
    }
  });
});
