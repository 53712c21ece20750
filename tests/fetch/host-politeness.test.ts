import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPoliteness, START_SPACING_MARGIN_MS } from '../../src/fetch/host-politeness.ts';
import { createRedisConnection } from '../../src/queue/redis-connection.ts';
import { RedisScript } from '../../src/queue/redis-script.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueQueuePrefix } from '../helpers/redis-test-prefix.ts';

const prefix = uniqueQueuePrefix('politeness');
const redis = createRedisConnection(TEST_REDIS_URL);

afterAll(async () => {
  await deleteKeysWithPrefix(prefix);
  redis.disconnect();
});

async function commandCalls(): Promise<{ evalsha: number }> {
  const stats = (await redis.info('commandstats')) as string;
  return { evalsha: Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0) };
}

const polite = (concurrency: number, delayMs: number) => new HostPoliteness(redis, { prefix, concurrency, delayMs, leaseMs: 60_000 });

describe('HostPoliteness (Redis)', () => {
  beforeAll(() => redis.ping());

  it('spaces starts by the delay and gives each waiting job its own reserved slot', async () => {
    const gate = polite(4, 400);
    const spacing = 400 + START_SPACING_MARGIN_MS;
    expect(await gate.acquire('a.test', 'j1')).toEqual({ acquired: true, recordStart: true });
    const second = await gate.acquire('a.test', 'j2');
    const third = await gate.acquire('a.test', 'j3');
    expect(second.acquired).toBe(false);
    expect(third.acquired).toBe(false);
    const wait2 = (second as { waitMs: number }).waitMs;
    const wait3 = (third as { waitMs: number }).waitMs;
    expect(wait2).toBeGreaterThan(spacing - 50);
    expect(wait2).toBeLessThanOrEqual(spacing);
    // The third job is reserved one slot later, not sent back to compete for the same one.
    expect(wait3 - wait2).toBeGreaterThanOrEqual(spacing - 5);
    // Asking again before its slot does not move the reservation.
    const again = (await gate.acquire('a.test', 'j2')) as { waitMs: number };
    expect(again.waitMs).toBeLessThanOrEqual(wait2);
    await new Promise((r) => setTimeout(r, wait2 + 5));
    expect(await gate.acquire('a.test', 'j2')).toEqual({ acquired: true, recordStart: true });
    // Other hosts are not slowed.
    expect(await gate.acquire('b.test', 'j9')).toEqual({ acquired: true, recordStart: true });
  });

  it('a job run again after a crash takes back its own lease; other jobs still wait for it', async () => {
    const gate = polite(1, 0);
    expect(await gate.acquire('r.test', 'crashed-job')).toEqual({ acquired: true, recordStart: false });
    // Its worker died: no release. The same job, retried elsewhere, is not kept waiting...
    expect(await gate.acquire('r.test', 'crashed-job')).toEqual({ acquired: true, recordStart: false });
    // ...and the host still has one fetch in flight, not two.
    expect((await gate.acquire('r.test', 'other-job')).acquired).toBe(false);
    await gate.release('r.test', 'crashed-job');
    expect(await gate.acquire('r.test', 'other-job')).toEqual({ acquired: true, recordStart: false });
  });

  it('counts the delay from the request\'s real start when it left after its slot was taken', async () => {
    const gate = polite(1, 300);
    expect(await gate.acquire('f.test', 'w1')).toEqual({ acquired: true, recordStart: true });
    await new Promise((r) => setTimeout(r, 200)); // a busy event loop between slot and send
    const beforeStart = Date.now();
    await gate.started('f.test');
    await gate.release('f.test', 'w1');
    const next = (await gate.acquire('f.test', 'w2')) as { acquired: boolean; waitMs: number };
    // Redis's clock is this machine's: the start was recorded no earlier than beforeStart.
    const sinceStart = Date.now() - beforeStart;
    expect(next.acquired).toBe(false);
    // Counted from the real start: all of the spacing but the round trips since then (a fixed
    // 20 ms allowance for them failed on a loaded machine: 276). Counted from the slot, taken
    // 200 ms before the start, at most 100 ms of the delay would be left.
    const spacing = 300 + START_SPACING_MARGIN_MS;
    expect(next.waitMs).toBeGreaterThanOrEqual(spacing - sinceStart);
    expect(next.waitMs).toBeGreaterThan(spacing - 200);
  });

  it('holds at most `concurrency` in flight and frees a slot on release', async () => {
    const gate = polite(2, 0);
    expect(await gate.acquire('c.test', 'x1')).toEqual({ acquired: true, recordStart: false });
    expect(await gate.acquire('c.test', 'x2')).toEqual({ acquired: true, recordStart: false });
    const busy = await gate.acquire('c.test', 'x3');
    expect(busy.acquired).toBe(false);
    await gate.release('c.test', 'x1');
    expect(await gate.acquire('c.test', 'x3')).toEqual({ acquired: true, recordStart: false });
  });

  it('sends its scripts by SHA1, and the text only to a server that does not have it yet', async () => {
    const gate = polite(1, 0);
    const before = await commandCalls();
    expect(await gate.acquire('g.test', 'v1')).toEqual({ acquired: true, recordStart: false });
    await gate.release('g.test', 'v1');
    const after = await commandCalls();
    // Other clients share this Redis: only a lower bound on EVALSHA is meaningful.
    expect(after.evalsha - before.evalsha).toBeGreaterThanOrEqual(2);
    // A script this server has never seen: NOSCRIPT, then the text once, then by SHA1.
    const script = new RedisScript(`return ARGV[1] .. '-${prefix}'`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(redis, [], ['x'])).toBe(`x-${prefix}`);
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(redis, [], ['y'])).toBe(`y-${prefix}`);
  });

  it('lets robots.txt Crawl-delay raise the delay and Retry-After block the host', async () => {
    const gate = polite(4, 0);
    await gate.setCrawlDelay('d.test', 1_000, 60_000);
    expect(await gate.acquire('d.test', 'y1')).toEqual({ acquired: true, recordStart: true });
    const next = (await gate.acquire('d.test', 'y2')) as { waitMs: number };
    expect(next.waitMs).toBeGreaterThan(900);

    await gate.blockFor('e.test', 2_000);
    const blocked = (await gate.acquire('e.test', 'z1')) as { waitMs: number };
    expect(blocked.waitMs).toBeGreaterThan(1_900);
    expect(blocked.waitMs).toBeLessThanOrEqual(2_000);
  });
});
