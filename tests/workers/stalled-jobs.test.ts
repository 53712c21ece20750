/**
 * A fetch job caught in worker crashes (its worker died while it was active, twice or more) is
 * never lost: after two crashes it is retried and stored; past the limit it is recorded as
 * failed with reason "stalled", and the URL may be enqueued again. Crashes are staged with
 * BullMQ's manual API: a "worker" takes the job and never renews its lock, and the
 * stalled-job check moves it back, exactly as after a kill -9.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config.ts';
import { extractArticle } from '../../src/extract/index.ts';
import { silentLogger } from '../../src/log.ts';
import { enqueueUrls } from '../../src/queue/enqueue-urls.ts';
import { FETCH_QUEUE } from '../../src/queue/job-data.ts';
import { KnownUrls } from '../../src/queue/known-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';
import { FETCH_MAX_STALLED, startWorkers } from '../../workers/start-workers.ts';
import { startArticleSiteServer, type ArticleSiteServer } from '../helpers/article-site-server.ts';
import { readRows } from '../helpers/read-database.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

/** Lock of a staged crash's job: short, so the crash is noticed at once. */
const CRASH_LOCK_MS = 200;

let server: ArticleSiteServer;
let dir: string;
const prefixes: string[] = [];

beforeAll(async () => {
  server = await startArticleSiteServer();
  dir = mkdtempSync(join(tmpdir(), 'ingest-stalled-'));
});

afterAll(async () => {
  await server?.close();
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
    PER_HOST_DELAY_MS: '0',
    RESPECT_ROBOTS: 'false',
  });
}

/** One crash: a worker takes the job, dies without a word, and the stalled check notices. */
async function crashWhileActive(config: Config, crash: number): Promise<void> {
  const options = { prefix: config.QUEUE_PREFIX, autorun: false, stalledInterval: 50, maxStalledCount: FETCH_MAX_STALLED };
  const taker = new Worker(FETCH_QUEUE, null, { ...options, connection: createRedisConnection(config.REDIS_URL), lockDuration: CRASH_LOCK_MS });
  const checker = new Worker(FETCH_QUEUE, null, { ...options, connection: createRedisConnection(config.REDIS_URL) });
  const check = () => (checker as unknown as { moveStalledJobsToWait(): Promise<void> }).moveStalledJobsToWait();
  try {
    const job = await taker.getNextJob(`crash-${crash}`);
    expect(job?.data.url).toBeDefined();
    await new Promise((r) => setTimeout(r, 60));
    await check(); // marks the active job as a stall candidate
    await new Promise((r) => setTimeout(r, CRASH_LOCK_MS + 100));
    await check(); // its lock ran out: back to wait (or failed, past the limit)
  } finally {
    await Promise.all([taker.close(true), checker.close(true)]);
  }
}

async function crawlAfterCrashes(label: string, crashes: number) {
  const config = configFor(label);
  const redis = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, redis);
  const url = `${server.origin}/news/7.html`;
  await enqueueUrls(config, redis, queues, [url], { now: new Date() });
  for (let crash = 1; crash <= crashes; crash += 1) await crashWhileActive(config, crash);
  // In-process extraction: this test is about stalled jobs; the pool's thread start-up (its own
  // tests are tests/workers/extraction-pool.test.ts) would only add a second or more per run.
  const workers = startWorkers({ config, role: 'all', concurrency: 2, logger: silentLogger, profiles: [], extract: extractArticle });
  await workers.ready;
  const deadline = Date.now() + 20_000;
  let rows: Array<{ status: string; reason: string | null; last_error: string | null }> = [];
  while (Date.now() < deadline) {
    rows = readRows(config.DATABASE_PATH, 'select status, reason, last_error from crawl_state');
    if (rows.length > 0 && rows[0]!.status !== 'retrying') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const [known] = await new KnownUrls(redis, config.QUEUE_PREFIX).has([jobIdForUrl(url)]);
  await workers.close();
  // Enqueued again: a new job, although BullMQ still keeps the failed one under the URL's id.
  const again = rows[0]?.status === 'failed' ? await enqueueUrls(config, redis, queues, [url], { now: new Date() }) : null;
  const waiting = await queues.fetch.getWaitingCount();
  await queues.close();
  redis.disconnect();
  return { rows, known, again, waiting };
}

describe('a fetch job caught in worker crashes', () => {
  it('is retried after two crashes and stored', async () => {
    const { rows } = await crawlAfterCrashes('stalled-twice', 2);
    expect(rows).toEqual([{ status: 'stored', reason: null, last_error: null }]);
  });

  it('past the limit, is recorded as failed with reason "stalled" and can be enqueued again', async () => {
    const { rows, known, again, waiting } = await crawlAfterCrashes('stalled-thrice', FETCH_MAX_STALLED + 1);
    expect(rows).toEqual([{ status: 'failed', reason: 'stalled', last_error: expect.stringContaining('the worker died while fetching it') }]);
    expect(known).toBe(false);
    expect(again).toMatchObject({ enqueued: 1, alreadyKnown: 0 });
    expect(waiting).toBe(1);
  });
});
