import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { enqueueUrls, parseUrlList } from '../../src/queue/enqueue-urls.ts';
import { KnownUrls } from '../../src/queue/known-urls.ts';
import { openQueues } from '../../src/queue/queues.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { jobIdForUrl } from '../../src/url/job-id.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

describe('parseUrlList', () => {
  it('canonicalizes, dedupes, skips blanks and comments, and explains each invalid line', () => {
    const parsed = parseUrlList([
      '# list',
      'HTTPS://News.Example:443/a?utm_source=x&b=2&a=1#top',
      '',
      'https://news.example/a?a=1&b=2',
      'javascript:alert(1)',
      'https://user:pw@news.example/',
      'news.example/no-scheme',
    ]);
    expect(parsed.urls).toEqual(['https://news.example/a?a=1&b=2']);
    expect(parsed.duplicates).toBe(1);
    expect(parsed.invalid).toEqual([
      { line: 5, input: 'javascript:alert(1)', reason: 'scheme javascript: is not http or https' },
      { line: 6, input: 'https://user:pw@news.example/', reason: 'credentials in URL' },
      { line: 7, input: 'news.example/no-scheme', reason: 'not a URL' },
    ]);
  });
});

describe('enqueueUrls (Redis)', () => {
  const config = parseConfig({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: uniqueQueuePrefix('enqueue') });
  afterAll(() => deleteKeysWithPrefix(config.QUEUE_PREFIX));

  it('adds jobs with ids derived from the canonical URL, once; --force adds them again', async () => {
    const redis = createRedisConnection(config.REDIS_URL);
    const queues = openQueues(config, redis);
    try {
      const now = new Date('2024-03-28T10:00:00Z');
      const first = await enqueueUrls(config, redis, queues, ['https://a.example/1', 'https://a.example/2', 'bad'], { now });
      expect(first).toMatchObject({ enqueued: 2, alreadyKnown: 0 });
      expect(first.invalid).toHaveLength(1);
      const job = await queues.fetch.getJob(jobIdForUrl('https://a.example/1'));
      expect(job?.data).toEqual({ url: 'https://a.example/1' });
      expect(job?.opts).toEqual({ attempts: config.FETCH_ATTEMPTS, backoff: { type: 'exponential', delay: config.RETRY_BASE_DELAY_MS, jitter: 0.5 }, jobId: job?.id });
      expect(job?.opts.attempts).toBe(config.FETCH_ATTEMPTS);
      const known = new KnownUrls(redis, config.QUEUE_PREFIX);
      expect(await known.has(['https://a.example/1', 'https://a.example/2', 'https://a.example/3'].map(jobIdForUrl))).toEqual([true, true, false]);

      const second = await enqueueUrls(config, redis, queues, ['https://a.example/1#x', 'https://A.example/2'], { now });
      expect(second).toMatchObject({ enqueued: 0, alreadyKnown: 2 });
      expect(await queues.fetch.getWaitingCount()).toBe(2);

      const forced = await enqueueUrls(config, redis, queues, ['https://a.example/1'], { now, force: true });
      expect(forced.enqueued).toBe(1);
      expect(await queues.fetch.getWaitingCount()).toBe(3);
    } finally {
      await queues.close();
      redis.disconnect();
    }
  });
});
