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

describe('RobotsGate in-process memory', () => {
  it('keeps parsed rules in memory for the Redis TTL, and reads a copy another worker cached with its remaining TTL', async () => {
    server.setRobots('User-agent: *\nDisallow: /secret\n');
    let clock = 1_000_000;
    const options = (ttlMs: number) => ({
      prefix: `${prefix}-memory`,
      userAgent: 'ArticleIngest/0.1',
      ttlMs,
      now: () => clock,
      fetchRobotsText: (url: string) =>
        fetchPage(url, { dispatcher, userAgent: 'ArticleIngest/0.1', timeoutMs: 2_000, maxBodyBytes: 512 * 1024, maxRedirects: 3, acceptContentType: () => true }),
    });
    const fetcher = new RobotsGate(redis, options(60_000));
    await fetcher.fetch(server.url('/a'));
    const key = `${prefix}-memory:robots:${new URL(server.url('/')).origin}`;
    await redis.pexpire(key, 5_000);

    // Another process reads the Redis copy once, then from memory until the TTL it was told.
    const reader = new RobotsGate(redis, options(60_000));
    expect((await reader.cached(server.url('/b')))?.isAllowed(server.url('/secret/1'), 'ArticleIngest')).toBe(false);
    await redis.del(key);
    expect(await reader.cached(server.url('/c'))).not.toBeNull();
    expect(await fetcher.cached(server.url('/c'))).not.toBeNull();
    clock += 5_001;
    expect(await reader.cached(server.url('/d'))).toBeNull();
    expect(await fetcher.cached(server.url('/d'))).not.toBeNull(); // its own fetch: the full 60 s
    clock += 55_000;
    expect(await fetcher.cached(server.url('/e'))).toBeNull();
    await deleteKeysWithPrefix(`${prefix}-memory`);
  });

  it('runs one robots.txt load per origin at a time, however many jobs ask', async () => {
    const robots = gate();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 50));
      return robots.fetch(server.url('/x'));
    };
    const all = await Promise.all(Array.from({ length: 8 }, () => robots.once(server.url('/x'), load)));
    expect(loads).toBe(1);
    expect(new Set(all).size).toBe(1);
    await robots.once(server.url('/x'), load);
    expect(loads).toBe(2);
  });
});
