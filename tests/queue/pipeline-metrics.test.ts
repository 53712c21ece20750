import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../db/client.ts';
import { silentLogger } from '../../src/log.ts';
import { createPipelineMetricsRecorder, readPipelineMetrics } from '../../src/queue/pipeline-metrics.ts';
import type { StoreJobData } from '../../src/queue/job-data.ts';
import type { CrawlOutcome } from '../../src/store/crawl-outcome.ts';
import { createStoreJobHandler } from '../../workers/store-worker.ts';
import { makeArticle } from '../helpers/article-factory.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const prefix = uniqueQueuePrefix('metrics');
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
afterAll(async () => {
  redis.disconnect();
  await deleteKeysWithPrefix(prefix);
});

const outcome = (over: Partial<CrawlOutcome>): CrawlOutcome => ({
  url: 'https://news.example/a/1', site: 'news.example', status: 'stored', reason: null, httpStatus: 200, error: null, attempts: 1,
  finalUrl: null, etag: null, lastModified: null, contentHash: null, fetchMs: 120, fetchedAt: '2024-03-28T10:00:00.000Z', nextFetchAt: null, ...over,
});

describe('pipeline metrics in Redis', () => {
  it('the store worker publishes each outcome it commits; readers see counters and cumulative buckets', async () => {
    const db = openDatabase(':memory:');
    const metrics = createPipelineMetricsRecorder(redis, prefix);
    const handle = createStoreJobHandler({
      db,
      logger: silentLogger,
      redis,
      config: { QUEUE_PREFIX: prefix, DATABASE_PATH: ':memory:' },
      stopping: new AbortController().signal,
      metrics,
      now: () => new Date('2024-03-28T10:00:03Z'),
    });
    const job = (data: StoreJobData) => ({ data }) as Job<StoreJobData>;
    await handle(job({ outcome: outcome({}), article: makeArticle() }));
    await handle(job({ outcome: outcome({ url: 'https://news.example/a/2', status: 'unchanged', fetchMs: 30_000 }) }));
    await handle(job({ outcome: outcome({ url: 'https://news.example/a/3', status: 'failed', reason: 'robots', fetchMs: null }) }));
    await handle(job({ outcome: outcome({ url: 'https://news.example/a/4', status: 'retrying', reason: 'timeout', fetchMs: null }) }));
    closeDatabase(db);
    metrics.observeExtraction(3);
    metrics.observePolitenessWait('news.example:8080', 500);
    metrics.observePolitenessWait('news.example:8080', 250);
    // Observations add up in the process until a flush (the timer's, or close()).
    expect(await redis.exists(`${prefix}:metrics:counters`, `${prefix}:metrics:politeness`)).toBe(0);
    await metrics.close();
    const snapshot = await readPipelineMetrics(redis, prefix);
    expect(snapshot).toMatchObject({ fetched: 2, stored: 1, unchanged: 1, failedByReason: { robots: 1 } });
    const fetch = snapshot.histograms.fetch_ms;
    expect(fetch.count).toBe(2);
    expect(fetch.sumMs).toBe(30_120);
    expect(fetch.buckets.find((b) => b.le === 250)!.count).toBe(1);
    expect(fetch.buckets.find((b) => b.le === 20_000)!.count).toBe(1);
    expect(fetch.buckets.at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 2 });
    expect(snapshot.histograms.store_lag_ms.buckets.find((b) => b.le === 5_000)!.count).toBe(4);
    expect(snapshot.histograms.extract_ms).toMatchObject({ count: 1, sumMs: 3 });
    expect(snapshot.politeness).toEqual([{ host: 'news.example:8080', waits: 2, waitMs: 750 }]);
  });

  it('sends one command per distinct field per flush, however many observations, and keeps them when Redis refuses', async () => {
    const sent: Array<[string, string, string, number]> = [];
    let refuse = true;
    const fakeRedis = {
      pipeline() {
        const batch: Array<[string, string, string, number]> = [];
        const pipeline = {
          hincrby: (key: string, field: string, amount: number) => (batch.push(['hincrby', key, field, amount]), pipeline),
          hincrbyfloat: (key: string, field: string, amount: number) => (batch.push(['hincrbyfloat', key, field, amount]), pipeline),
          exec: async () => {
            if (refuse) throw new Error('connection is closed');
            sent.push(...batch);
            return batch.map(() => [null, 1]);
          },
        };
        return pipeline;
      },
    } as unknown as Redis;
    const metrics = createPipelineMetricsRecorder(fakeRedis, 'p', 60_000);
    for (let i = 0; i < 100; i += 1) metrics.recordOutcome(outcome({ fetchMs: 100 }), new Date('2024-03-28T10:00:01Z'));
    await metrics.flush(); // refused: nothing lost
    metrics.recordOutcome(outcome({ fetchMs: 100 }), new Date('2024-03-28T10:00:01Z'));
    refuse = false;
    await metrics.close();
    // outcome, fetched, fetch bucket and count, lag bucket and count; two sums: 8 commands for 101 outcomes.
    expect(sent).toHaveLength(8);
    expect(sent).toContainEqual(['hincrby', 'p:metrics:counters', 'outcome:stored', 101]);
    expect(sent).toContainEqual(['hincrby', 'p:metrics:counters', 'fetch_ms:le:100', 101]);
    expect(sent).toContainEqual(['hincrbyfloat', 'p:metrics:counters', 'fetch_ms:sum', 10_100]);
    expect(sent).toContainEqual(['hincrby', 'p:metrics:counters', 'store_lag_ms:le:1000', 101]);
  });

  it('a worker closing while Redis does not answer does not wait for its metrics', async () => {
    const hung = { pipeline: () => ({ hincrby() { return this; }, hincrbyfloat() { return this; }, exec: () => new Promise(() => {}) }) } as unknown as Redis;
    const metrics = createPipelineMetricsRecorder(hung, 'p', 60_000);
    metrics.observeExtraction(5);
    const started = performance.now();
    await metrics.close();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
