import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentFetchError, RetryableFetchError } from '../../src/fetch/fetch-errors.ts';
import { fetchPage } from '../../src/fetch/fetch-page.ts';
import { createGuardedAgent } from '../../src/fetch/guarded-agent.ts';
import { RobotsGate } from '../../src/fetch/robots-gate.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const prefix = uniqueQueuePrefix('robots');
const redis = createRedisConnection(TEST_REDIS_URL);
const dispatcher = createGuardedAgent({ allowPrivateNetworks: true, connectTimeoutMs: 2_000 });
let server: FaultServer;

const gate = () =>
  new RobotsGate(redis, {
    prefix,
    userAgent: 'ArticleIngest/0.1 (+mailto:ops@example.org)',
    fetchRobotsText: (url) =>
      fetchPage(url, { dispatcher, userAgent: 'ArticleIngest/0.1', timeoutMs: 2_000, maxBodyBytes: 512 * 1024, maxRedirects: 3, acceptContentType: () => true }),
  });

beforeAll(async () => {
  server = await startFaultServer({ host: '127.0.0.1' });
});
afterAll(async () => {
  await server.close();
  await dispatcher.close();
  await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

describe('RobotsGate', () => {
  it('fetches robots.txt once, caches it, and refuses disallowed URLs', async () => {
    server.setRobots('User-agent: *\nDisallow: /private\nCrawl-delay: 3\n\nUser-agent: ArticleIngest\nDisallow: /members\n');
    const robots = gate();
    expect(await robots.cached(server.url('/ok'))).toBeNull();
    const rules = await robots.fetch(server.url('/ok'));
    expect(rules.isAllowed(server.url('/members/1'), 'ArticleIngest/0.1')).toBe(false);
    expect(() => robots.assertAllowed(rules, server.url('/members/1'))).toThrow(PermanentFetchError);
    expect(() => robots.assertAllowed(rules, server.url('/ok'))).not.toThrow();
    const cached = await robots.cached(server.url('/another'));
    expect(cached?.isAllowed(server.url('/members/2'), 'ArticleIngest/0.1')).toBe(false);
    expect(server.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
  });

  it('reads a 4xx robots.txt as "no rules" and a 5xx as "try again later"', async () => {
    const other = await startFaultServer({ host: '127.0.0.2', robots: { status: 404 } });
    try {
      const rules = await gate().fetch(other.url('/ok'));
      expect(rules.isAllowed(other.url('/anything'), 'ArticleIngest')).toBe(true);
      const third = await startFaultServer({ host: '127.0.0.3', robots: { status: 500 } });
      try {
        await expect(gate().fetch(third.url('/ok'))).rejects.toMatchObject({ reason: 'robots-unavailable' });
        await expect(gate().fetch(third.url('/ok'))).rejects.toBeInstanceOf(RetryableFetchError);
        expect(await gate().cached(third.url('/ok'))).toBeNull();
      } finally {
        await third.close();
      }
    } finally {
      await other.close();
    }
  });
});
