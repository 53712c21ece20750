/**
 * Per-host politeness shared by every fetch worker on every machine, kept in Redis: at most
 * `concurrency` requests in flight per host, and at least `delayMs` between two request starts
 * (raised by robots.txt Crawl-delay; pushed back by a Retry-After).
 *
 * A job that cannot start now is given a reserved start slot and told how long to wait, so a
 * queue of many URLs of one host is spread over time (each job is delayed about once) instead
 * of every job waking together and spinning. Redis's own clock (TIME) is the clock, so workers
 * on machines with skewed clocks still agree.
 */
import type { RedisClient } from '../queue/redis-connection.ts';
import { RedisScript } from '../queue/redis-script.ts';

export interface HostPolitenessOptions {
  /** Key prefix (QUEUE_PREFIX). */
  prefix: string;
  concurrency: number;
  delayMs: number;
  /**
   * How long an in-flight slot is held if its worker dies without releasing it: longer than any
   * fetch, short enough that a crashed worker does not block a host for long.
   */
  leaseMs: number;
}

/**
 * A slot taken or a wait. `recordStart` says whether the request's real start must be told to
 * `started()`: only when a delay applies to the host (configured or Crawl-delay); with none, the
 * call would change nothing and is skipped (one Redis round trip less per page).
 */
export type AcquireResult = { acquired: true; recordStart: boolean } | { acquired: false; waitMs: number };

/**
 * Wait given to a job when the host's in-flight slots are all taken and no delay applies: about
 * one short fetch. Too short and jobs churn; too long and a fast host sits idle.
 */
export const HOST_BUSY_WAIT_MS = 500;

/**
 * Extra spacing between start slots. A slot is taken in Redis a moment before the request
 * leaves the worker, and that moment varies (event loop busy extracting another page, a new
 * connection vs a pooled one), so slots spaced exactly `delayMs` apart can reach the server a
 * few milliseconds closer than that. The margin makes the server see at least the delay.
 */
export const START_SPACING_MARGIN_MS = 25;

/**
 * Reservations (tokens waiting for a slot) are forgotten after this long, so a job removed from
 * the queue while delayed does not hold a slot forever.
 */
const RESERVATION_TTL_MS = 15 * 60 * 1000;

// KEYS: inflight (zset token→lease expiry), reservations (zset token→slot), next (earliest next
// start, ms), last (last start, ms), crawlDelay (robots Crawl-delay, ms)
// ARGV: token, concurrency, delayMs, leaseMs, busyWaitMs, reservationTtlMs
// Returns the wait in ms; 0 means the slot was taken and a delay applies, -1 that it was taken
// and no delay applies (no start to record).
const ACQUIRE_SCRIPT = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local token = ARGV[1]
local concurrency = tonumber(ARGV[2])
local delay = math.max(tonumber(ARGV[3]), tonumber(redis.call('GET', KEYS[5]) or '0'))
local lease = tonumber(ARGV[4])
local busyWait = tonumber(ARGV[5])
local reservationTtl = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - reservationTtl)
local nextStart = tonumber(redis.call('GET', KEYS[3]) or '0')
local lastStart = tonumber(redis.call('GET', KEYS[4]) or '0')
local reserved = redis.call('ZSCORE', KEYS[2], token)
local earliest = math.max(lastStart + delay, now)
if reserved then
  earliest = math.max(earliest, tonumber(reserved))
else
  earliest = math.max(earliest, nextStart)
end
-- A job run again after its worker died holds the dead run's lease under the same token: that
-- slot is its own, not another fetch's (else it waits out the lease of a process that is gone).
local busy = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], token) then busy = busy - 1 end
if earliest <= now and busy < concurrency then
  redis.call('ZREM', KEYS[2], token)
  redis.call('ZADD', KEYS[1], now + lease, token)
  redis.call('SET', KEYS[4], now, 'PX', math.max(delay, 1) + lease)
  if nextStart < now + delay then redis.call('SET', KEYS[3], now + delay, 'PX', math.max(delay, 1) + lease) end
  if delay > 0 then return 0 end
  return -1
end
if earliest <= now then
  -- Every in-flight slot is taken: come back after about one fetch.
  return busyWait
end
if not reserved then
  -- Reserve the next free start slot and push the host's next slot past it.
  redis.call('ZADD', KEYS[2], earliest, token)
  redis.call('SET', KEYS[3], earliest + delay, 'PX', (earliest + delay - now) + lease)
end
return earliest - now
`);

// KEYS: inflight. ARGV: token.
const RELEASE_SCRIPT = new RedisScript(`return redis.call('ZREM', KEYS[1], ARGV[1])`);

// KEYS: last. ARGV: delayMs, leaseMs. Records a request's real start (after the slot was taken).
const STARTED_SCRIPT = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lastStart = tonumber(redis.call('GET', KEYS[1]) or '0')
if now > lastStart then redis.call('SET', KEYS[1], now, 'PX', math.max(tonumber(ARGV[1]), 1) + tonumber(ARGV[2])) end
return now
`);

// KEYS: next. ARGV: waitMs. Pushes the host's next start back (Retry-After).
const BLOCK_SCRIPT = new RedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local nextStart = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > nextStart then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 60000) end
return untilMs
`);

export class HostPoliteness {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: HostPolitenessOptions,
  ) {}

  /** Take an in-flight slot for `host` now, or learn how long to wait for the reserved one. */
  async acquire(host: string, token: string): Promise<AcquireResult> {
    const { concurrency, delayMs, leaseMs } = this.options;
    const wait = Number(
      await ACQUIRE_SCRIPT.run(
        this.redis,
        [this.key(host, 'inflight'), this.key(host, 'reservations'), this.key(host, 'next'), this.key(host, 'last'), this.key(host, 'crawl-delay')],
        [token, concurrency, delayMs > 0 ? delayMs + START_SPACING_MARGIN_MS : 0, leaseMs, HOST_BUSY_WAIT_MS, RESERVATION_TTL_MS],
      ),
    );
    return wait <= 0 ? { acquired: true, recordStart: wait === 0 } : { acquired: false, waitMs: wait };
  }

  /**
   * The request of a taken slot is now on its way: its start is "now", by Redis's clock. A slot
   * is taken a moment before the request leaves (the event loop may be busy with another page),
   * so the delay to the next start is counted from here, whichever is later.
   */
  async started(host: string): Promise<void> {
    await STARTED_SCRIPT.run(this.redis, [this.key(host, 'last')], [this.options.delayMs, this.options.leaseMs]);
  }

  async release(host: string, token: string): Promise<void> {
    await RELEASE_SCRIPT.run(this.redis, [this.key(host, 'inflight')], [token]);
  }

  /** The host asked us to come back later (429/503 Retry-After): no request starts before then. */
  async blockFor(host: string, waitMs: number): Promise<void> {
    await BLOCK_SCRIPT.run(this.redis, [this.key(host, 'next')], [Math.max(0, Math.ceil(waitMs))]);
  }

  /** robots.txt Crawl-delay for the host (raises the configured delay, never lowers it). */
  async setCrawlDelay(host: string, delayMs: number | null, ttlMs: number): Promise<void> {
    const key = this.key(host, 'crawl-delay');
    if (delayMs === null || delayMs <= 0) await this.redis.del(key);
    else await this.redis.set(key, String(Math.ceil(delayMs)), 'PX', ttlMs);
  }

  private key(host: string, part: string): string {
    return `${this.options.prefix}:host:${host}:${part}`;
  }
}
