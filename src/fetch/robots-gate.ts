/**
 * robots.txt, fetched once per origin and cached in Redis with a TTL so every fetch worker on
 * every machine shares it, and kept parsed in each process's memory until that same TTL runs
 * out (no Redis read and no parse per page). RFC 9309: a 4xx robots.txt means "no rules"; a 5xx
 * or a network failure means "not now" (the job retries later with backoff).
 */
import type { RedisClient } from '../queue/redis-connection.ts';
import { RedisScript } from '../queue/redis-script.ts';
import type { FetchPageResult } from './fetch-page.ts';
import { FetchError, PermanentFetchError, RetryableFetchError } from './fetch-errors.ts';
import { allowAllRobots, parseRobots, robotsUrlFor, type RobotsRules } from './robots.ts';

/** Largest robots.txt read (RFC 9309 §2.5 asks crawlers to parse at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 512 * 1024;

/** How long a robots.txt is trusted (RFC 9309 §2.4: SHOULD NOT use a cached copy for more than 24 hours). */
export const ROBOTS_CACHE_TTL_MS = 24 * 3600 * 1000;

/** Cached text of "no rules" (4xx): the marker an empty robots.txt would give, stored as such. */
const NO_RULES = '';

/** Fetches a robots.txt; `onRequestSent` goes to fetchPage (politeness start time). */
export type FetchRobotsText = (robotsUrl: string, onRequestSent?: () => Promise<void>) => Promise<FetchPageResult>;

/**
 * Origins whose parsed rules one process keeps in memory; past this the least recently used is
 * dropped (and read from Redis again when needed). A crawl of many thousand hosts stays bounded.
 */
export const ROBOTS_MEMORY_ORIGINS = 2_000;

// KEYS: the cached text. Returns {text, remaining ms} or nil: one round trip for both.
const READ_WITH_TTL = new RedisScript(`
local text = redis.call('GET', KEYS[1])
if not text then return nil end
return {text, redis.call('PTTL', KEYS[1])}
`);

export interface RobotsGateOptions {
  prefix: string;
  userAgent: string;
  fetchRobotsText: FetchRobotsText;
  ttlMs?: number;
  /** The clock of the in-memory cache (tests move it). */
  now?: () => number;
}

interface RememberedRules {
  rules: RobotsRules;
  expiresAt: number;
}

export class RobotsGate {
  /** Parsed rules by Redis key, in least-recently-used order (a Map keeps insertion order). */
  private readonly memory = new Map<string, RememberedRules>();
  /** robots.txt fetches under way in this process, by Redis key: jobs of one origin share one. */
  private readonly pending = new Map<string, Promise<RobotsRules>>();
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RobotsGateOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The cached rules for the URL's origin, or null when robots.txt must be fetched first. */
  async cached(url: string): Promise<RobotsRules | null> {
    const robotsUrl = robotsUrlFor(url);
    const key = this.key(robotsUrl);
    const remembered = this.recall(key);
    if (remembered) return remembered;
    const found = (await READ_WITH_TTL.run(this.redis, [key], [])) as [string, number] | null;
    if (found === null) return null;
    const [text, remainingMs] = found;
    const rules = text === NO_RULES ? allowAllRobots() : parseRobots(robotsUrl, text);
    // PTTL is -1 for a key without expiry (set by hand): trust it for the usual TTL then.
    this.remember(key, rules, remainingMs >= 0 ? remainingMs : (this.options.ttlMs ?? ROBOTS_CACHE_TTL_MS));
    return rules;
  }

  /**
   * The rules from `load` (a fetch of robots.txt inside a politeness slot), run once per origin
   * at a time in this process: the other jobs of the origin wait for the same answer instead of
   * each fetching robots.txt.
   */
  once(url: string, load: () => Promise<RobotsRules>): Promise<RobotsRules> {
    const key = this.key(robotsUrlFor(url));
    const running = this.pending.get(key);
    if (running) return running;
    const started = load().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  /** Fetch robots.txt for the URL's origin, cache it, and return its rules. */
  async fetch(url: string, onRequestSent?: () => Promise<void>): Promise<RobotsRules> {
    const robotsUrl = robotsUrlFor(url);
    let text: string;
    try {
      const result = await this.options.fetchRobotsText(robotsUrl, onRequestSent);
      text = result.kind === 'page' ? result.html : NO_RULES;
    } catch (error) {
      if (error instanceof FetchError && /^http-4\d\d$/.test(error.reason) && error.reason !== 'http-429') {
        text = NO_RULES;
      } else if (error instanceof PermanentFetchError && error.reason !== 'forbidden-address') {
        // A robots.txt that is too large, not text, or redirects in circles gives no usable rules.
        text = NO_RULES;
      } else if (error instanceof PermanentFetchError) {
        throw error;
      } else {
        const detail = error instanceof Error ? error.message : String(error);
        throw new RetryableFetchError('robots-unavailable', `robots.txt unavailable (${detail}): will retry later`, { cause: error });
      }
    }
    const ttlMs = this.options.ttlMs ?? ROBOTS_CACHE_TTL_MS;
    await this.redis.set(this.key(robotsUrl), text, 'PX', ttlMs);
    const rules = text === NO_RULES ? allowAllRobots() : parseRobots(robotsUrl, text);
    this.remember(this.key(robotsUrl), rules, ttlMs);
    return rules;
  }

  /** Refuse the URL when the rules disallow it for our User-Agent. */
  assertAllowed(rules: RobotsRules, url: string): void {
    if (!rules.isAllowed(url, this.options.userAgent)) {
      throw new PermanentFetchError('robots', 'blocked by robots.txt');
    }
  }

  private recall(key: string): RobotsRules | null {
    const remembered = this.memory.get(key);
    if (!remembered) return null;
    this.memory.delete(key);
    if (remembered.expiresAt <= this.now()) return null;
    this.memory.set(key, remembered);
    return remembered.rules;
  }

  private remember(key: string, rules: RobotsRules, ttlMs: number): void {
    this.memory.delete(key);
    this.memory.set(key, { rules, expiresAt: this.now() + ttlMs });
    if (this.memory.size > ROBOTS_MEMORY_ORIGINS) this.memory.delete(this.memory.keys().next().value!);
  }

  private key(robotsUrl: string): string {
    return `${this.options.prefix}:robots:${new URL(robotsUrl).origin}`;
  }
}
