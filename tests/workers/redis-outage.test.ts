/**
 * A Redis outage in the log: one structured line when the connection is lost, one when it is
 * back, nothing in between but the monitor's reminders, and never ioredis's
 * "[ioredis] Unhandled error event". A private redis-server (a port of 6391..6399, or of
 * TEST_REDIS_PORTS) is stopped and started again under a running worker, which then goes on
 * crawling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { createLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { RedisOutageMonitor } from '../../src/queue/redis-outage-monitor.ts';
import { startWorkers } from '../../workers/start-workers.ts';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { createPrivateRedis, type PrivateRedis } from '../faults/fault-harness.ts';

let site: ArticleSiteServer;
let dir: string;
let redis: PrivateRedis;
let config: Config;

beforeAll(async () => {
  site = await startArticleSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-outage-'));
  redis = await createPrivateRedis(join(dir, 'redis'));
  await redis.start();
  config = parseConfig({
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'outage',
    DATABASE_PATH: join(dir, 'articles.db'),
    ALLOW_PRIVATE_NETWORKS: 'true',
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
  });
});

afterAll(async () => {
  await site?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('a Redis outage under a running worker', () => {
  it('logs one line when Redis is lost and one when it is back, never ioredis\'s unhandled error, and goes on crawling', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', (line) => lines.push(JSON.parse(line)));
    const printed: string[] = [];
    const consoleError = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    const stderrWrite = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (printed.push(String(chunk)), true));
    // In-process extraction: the outage is the subject, not the pool's thread start-up.
    const workers = startWorkers({ config, role: 'all', concurrency: 2, logger, profiles: [], extract: extractArticle });
    try {
      await workers.ready;
      await redis.stop();
      await new Promise((r) => setTimeout(r, 3_000));
      const lost = lines.filter((line) => line['message'] === 'redis connection lost');
      expect(lost).toHaveLength(1);
      expect(lost[0]).toMatchObject({ level: 'error', redis: expect.stringContaining('127.0.0.1'), error: expect.stringMatching(/ECONNREFUSED|closed|ECONNRESET/) });
      // Nothing else while down: no line per reconnect attempt.
      expect(lines.filter((line) => line['level'] === 'error' || line['level'] === 'warn')).toHaveLength(1);

      await redis.start();
      await until(() => lines.some((line) => line['message'] === 'redis connection restored'), 20_000);
      expect(lines.filter((line) => line['message'] === 'redis connection restored')).toHaveLength(1);

      const client = createRedisConnection(config.REDIS_URL);
      const queues = openQueues(config, client);
      await enqueueUrls(config, client, queues, [`${site.origin}/news/5.html`], { now: new Date() });
      await until(() => readRows(config.DATABASE_PATH, "select 1 from crawl_state where status = 'stored'").length === 1, 20_000);
      expect(readRows(config.DATABASE_PATH, 'select status from crawl_state')).toEqual([{ status: 'stored' }]);
      await queues.close();
      client.disconnect();
    } finally {
      await workers.close();
      consoleError.mockRestore();
      stderrWrite.mockRestore();
    }
    expect(printed.filter((text) => text.includes('Unhandled error event'))).toEqual([]);
    // Nor anything else outside the structured log (BullMQ prints a queue's unheard errors).
    expect(printed.filter((text) => /ECONNREFUSED|ECONNRESET|Connection is closed|Error:/.test(text))).toEqual([]);
  }, 60_000);
});

describe('RedisOutageMonitor', () => {
  it('reminds while Redis stays down, and watches connections duplicated later', async () => {
    vi.useFakeTimers();
    try {
      const lines: Array<Record<string, unknown>> = [];
      const monitor = new RedisOutageMonitor({ logger: createLogger('info', (line) => lines.push(JSON.parse(line))), address: 'redis://127.0.0.1:6399', reminderMs: 1_000 });
      const connection = monitor.watch(new Redis('redis://127.0.0.1:1', { lazyConnect: true }));
      const duplicate = connection.duplicate({ lazyConnect: true });
      expect(duplicate.listenerCount('error')).toBeGreaterThan(0);
      connection.emit('error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
      duplicate.emit('error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
      vi.advanceTimersByTime(3_500);
      expect(lines.map((line) => line['message'])).toEqual(['redis connection lost', 'redis still unreachable', 'redis still unreachable', 'redis still unreachable']);
      connection.emit('ready');
      expect(lines).toHaveLength(4);
      duplicate.emit('ready');
      expect(lines.at(-1)).toMatchObject({ level: 'info', message: 'redis connection restored' });
      monitor.stop();
      connection.disconnect();
      duplicate.disconnect();
    } finally {
      vi.useRealTimers();
    }
  });
});
