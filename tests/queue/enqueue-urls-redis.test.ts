/**
 * Enqueueing against a live Redis (each run under its own key prefix). A stream of many batches:
 * one batch is canonicalized while the one before it is in Redis, and still every URL is added
 * once (duplicates across batches are known by then); a URL whose job is still queued is not
 * added twice, one whose job failed gets a job of its own; KnownUrls.lookup answers known / job
 * still in Redis / neither in one call.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { enqueueUrls, forcedJobId } from '../../src/queue/enqueue-urls.ts';
import { KnownUrls } from '../../src/queue/known-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

describe('enqueueUrls (Redis)', () => {
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueQueuePrefix('enqueue') });
  afterAll(() => deleteKeysWithPrefix(config.QUEUE_PREFIX));

  it('adds jobs with ids derived from the canonical URL, once; --force adds one re-fetch, however often it is said', async () => {
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    try {
      const now = new Date('2024-03-28T10:00:00Z');
      const first = await enqueueUrls(config, redis, queues, ['https://a.example/1', 'https://a.example/2', 'bad'], { now });
      expect(first).toMatchObject({ enqueued: 2, alreadyKnown: 0 });
      expect(first.invalid).toHaveLength(1);
      const job = await queues.fetch.getJob(jobIdForUrl('https://a.example/1'));
      expect(job?.data).toEqual({ url: 'https://a.example/1' });
      expect(job?.opts.attempts).toBe(config.FETCH_ATTEMPTS);
      expect(await new KnownUrls(redis, config.QUEUE_PREFIX).has(['https://a.example/1', 'https://a.example/2', 'https://a.example/3'].map(jobIdForUrl))).toEqual([true, true, false]);

      const second = await enqueueUrls(config, redis, queues, ['https://a.example/1#x', 'https://A.example/2'], { now });
      expect(second).toMatchObject({ enqueued: 0, alreadyKnown: 2 });
      expect(await queues.fetch.getWaitingCount()).toBe(2);

      // Still waiting: forcing adds no copy.
      const stillQueued = await enqueueUrls(config, redis, queues, ['https://a.example/1'], { now, force: true });
      expect(stillQueued).toMatchObject({ enqueued: 0, alreadyQueued: 1 });
      expect(await queues.fetch.getWaitingCount()).toBe(2);

      // Once the first job is done, force adds one re-fetch; saying it again adds nothing more.
      await queues.fetch.remove(jobIdForUrl('https://a.example/1'));
      for (let run = 0; run < 2; run++) await enqueueUrls(config, redis, queues, ['https://a.example/1', 'https://a.example/1'], { now, force: true });
      expect(await queues.fetch.getWaitingCount()).toBe(2);
      expect(await queues.fetch.getJob(forcedJobId(jobIdForUrl('https://a.example/1')))).toBeDefined();
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });
});

/** More than two batches of the enqueuer (500 URLs each). */
const DISTINCT = 1_700;

async function* lines(urls: readonly string[]): AsyncGenerator<string> {
  for (const url of urls) yield url;
}

describe('enqueueUrls over many batches (Redis)', () => {
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueQueuePrefix('enqueue-batches') });
  const redis = createRedisConnection(config.REDIS_URL);
  const queues = openQueues(config, redis);
  afterAll(async () => {
    await queues.close();
    redis.disconnect();
    await deleteKeysWithPrefix(config.QUEUE_PREFIX);
  });

  it('adds each URL once, however its repeats fall across batches, and reports each line', async () => {
    const urls = Array.from({ length: DISTINCT }, (_, i) => `https://news${i % 7}.example/story-${i}.html`);
    // Repeats in the same batch, in the next one, and far later; a different spelling of one URL.
    const input = [...urls.slice(0, 600), urls[3]!, ...urls.slice(600), urls[0]!, urls[599]!, 'HTTPS://NEWS1.example/story-1.html#top', 'not a url', ''];
    const batches: number[] = [];
    const report = await enqueueUrls(config, redis, queues, lines(input), { now: new Date(), onBatch: (so) => batches.push(so.enqueued) });
    expect(report).toMatchObject({ enqueued: DISTINCT, alreadyKnown: 4, alreadyQueued: 0, invalidCount: 1, lines: input.length });
    expect(await queues.fetch.getWaitingCount()).toBe(DISTINCT);
    // Progress came batch by batch, and never went back.
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect([...batches].sort((a, b) => a - b)).toEqual(batches);
    expect(batches.at(-1)).toBe(DISTINCT);
    const again = await enqueueUrls(config, redis, queues, lines(urls), { now: new Date() });
    expect(again).toMatchObject({ enqueued: 0, alreadyKnown: DISTINCT });
    expect(await queues.fetch.getWaitingCount()).toBe(DISTINCT);
  });

  it('tells known ids, ids whose job is still in Redis, and neither apart in one lookup', async () => {
    const known = new KnownUrls(redis, config.QUEUE_PREFIX);
    const [inRecord, onlyJob, neither] = ['https://lookup.example/a', 'https://lookup.example/b', 'https://lookup.example/c'].map(jobIdForUrl) as [string, string, string];
    await known.add([inRecord]);
    await queues.fetch.add('fetch', { url: 'https://lookup.example/b' }, { jobId: onlyJob });
    const ids = [inRecord, onlyJob, neither];
    expect(await known.lookup(ids, ids.map((id) => queues.fetch.toKey(id)))).toEqual(['known', 'job-exists', 'unknown']);
  });

  it('does not add a URL whose job is still waiting twice, and gives a URL whose job failed a new job', async () => {
    const waitingUrl = 'https://crash.example/waiting';
    const failedUrl = 'https://crash.example/failed';
    // A crash between adding the job and recording the URL as known: the job waits, unrecorded.
    await queues.fetch.add('fetch', { url: waitingUrl }, { jobId: jobIdForUrl(waitingUrl) });
    // A URL that failed: it left the record, BullMQ keeps its failed job (under its id).
    const failedJob = await queues.fetch.add('fetch', { url: failedUrl }, { jobId: jobIdForUrl(failedUrl) });
    await redis.multi().lrem(queues.fetch.toKey('wait'), 0, failedJob.id!).zadd(queues.fetch.toKey('failed'), Date.now(), failedJob.id!).exec();
    expect(await queues.fetch.getJobState(failedJob.id!)).toBe('failed');

    const now = new Date('2026-01-02T03:04:05Z');
    const report = await enqueueUrls(config, redis, queues, lines([waitingUrl, failedUrl, 'https://crash.example/new']), { now });
    expect(report).toMatchObject({ enqueued: 2, alreadyQueued: 1, alreadyKnown: 0 });
    expect(await queues.fetch.getJob(`${jobIdForUrl(failedUrl)}-${now.getTime()}`)).toBeDefined();
    const known = new KnownUrls(redis, config.QUEUE_PREFIX);
    expect(await known.has([waitingUrl, failedUrl, 'https://crash.example/new'].map(jobIdForUrl))).toEqual([true, true, true]);
  });
});
