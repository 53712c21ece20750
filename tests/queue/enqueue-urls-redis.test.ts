/** Enqueueing against a live Redis (each run under its own key prefix). */
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
