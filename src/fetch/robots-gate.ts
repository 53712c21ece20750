/**
 * robots.txt, fetched once per origin and cached in Redis with a TTL so every fetch worker on
 * every machine shares it. RFC 9309: a 4xx robots.txt means "no rules"; a 5xx or a network
 * failure means "not now" (the job retries later with backoff).
 */
import type { Redis } from 'ioredis';
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

export interface RobotsGateOptions {
  prefix: string;
  userAgent: string;
  fetchRobotsText: FetchRobotsText;
  ttlMs?: number;
}

export class RobotsGate {
  constructor(
    private readonly redis: Redis,
    private readonly options: RobotsGateOptions,
  ) {}

  /** The cached rules for the URL's origin, or null when robots.txt must be fetched first. */
  async cached(url: string): Promise<RobotsRules | null> {
    const robotsUrl = robotsUrlFor(url);
    const text = await this.redis.get(this.key(robotsUrl));
    return text === null ? null : text === NO_RULES ? allowAllRobots() : parseRobots(robotsUrl, text);
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
    await this.redis.set(this.key(robotsUrl), text, 'PX', this.options.ttlMs ?? ROBOTS_CACHE_TTL_MS);
    return text === NO_RULES ? allowAllRobots() : parseRobots(robotsUrl, text);
  }

  /** Refuse the URL when the rules disallow it for our User-Agent. */
  assertAllowed(rules: RobotsRules, url: string): void {
    if (!rules.isAllowed(url, this.options.userAgent)) {
      throw new PermanentFetchError('robots', 'blocked by robots.txt');
    }
  }

  private key(robotsUrl: string): string {
    return `${this.options.prefix}:robots:${new URL(robotsUrl).origin}`;
  }
}
