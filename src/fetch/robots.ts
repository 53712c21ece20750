/**
 * robots.txt rules (RFC 9309) over robots-parser: pure helpers, no fetching. The fetcher gets
 * `robotsUrlFor(url)`, caches the parsed rules per host, and asks `isAllowed` and `crawlDelayMs`.
 * By the RFC, a 4xx robots.txt means "no rules" (`allowAllRobots()`); a 5xx or timeout means
 * "try again later" (the caller's decision).
 */
import robotsParserModule from 'robots-parser';

// robots-parser's types declare an ES default export, but the package is CommonJS: Node gives
// ESM importers module.exports, which is the parser function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; the rest may be ignored. */
export const MAX_ROBOTS_TXT_CHARS = 500 * 1024;

export interface RobotsRules {
  /**
   * Whether `ua` may fetch `url`. URLs on another origin than the robots.txt are not governed by
   * it: true.
   */
  isAllowed(url: string, userAgent: string): boolean;
  /** The Crawl-delay for `ua` (or for *), in ms; null when none is given. */
  crawlDelayMs(userAgent: string): number | null;
  /** Sitemap URLs listed in the file. */
  sitemaps(): string[];
}

/** The robots.txt that governs a URL: same scheme, host and port, path /robots.txt. */
export function robotsUrlFor(url: string): string {
  return new URL('/robots.txt', url).href;
}

/** Parses a robots.txt served at `robotsUrl` (any URL of the same origin works). */
export function parseRobots(robotsUrl: string, text: string): RobotsRules {
  const robots = robotsParser(robotsUrlFor(robotsUrl), text.slice(0, MAX_ROBOTS_TXT_CHARS));
  return {
    isAllowed: (url, userAgent) => robots.isAllowed(url, robotsAgentToken(userAgent)) ?? true,
    crawlDelayMs: (userAgent) => {
      const seconds = robots.getCrawlDelay(robotsAgentToken(userAgent));
      return seconds === undefined || !Number.isFinite(seconds) || seconds < 0 ? null : Math.round(seconds * 1000);
    },
    sitemaps: () => robots.getSitemaps(),
  };
}

/** No rules: what a missing robots.txt (4xx) means, and what RESPECT_ROBOTS=false uses. */
export function allowAllRobots(): RobotsRules {
  return { isAllowed: () => true, crawlDelayMs: () => null, sitemaps: () => [] };
}

/** Browser-compatibility product tokens that never name a crawler. */
const GENERIC_PRODUCT_TOKENS: ReadonlySet<string> = new Set([
  'mozilla', 'applewebkit', 'chrome', 'safari', 'gecko', 'firefox', 'khtml', 'version', 'mobile',
]);

/**
 * The product token robots.txt groups are matched against (RFC 9309 §2.2.1), from a full
 * User-Agent: "Mozilla/5.0 (compatible; ArticleIngest/1.0; +https://x)" → "ArticleIngest",
 * "ArticleIngest/0.1 (+mailto:ops@x)" → "ArticleIngest". robots-parser matches it
 * case-insensitively and falls back to the * group.
 */
export function robotsAgentToken(userAgent: string): string {
  for (const [, name] of userAgent.matchAll(/([A-Za-z][A-Za-z0-9_-]*)\/[0-9]/g)) {
    if (name !== undefined && !GENERIC_PRODUCT_TOKENS.has(name.toLowerCase())) return name;
  }
  return /[A-Za-z][A-Za-z0-9_-]*/.exec(userAgent)?.[0] ?? '*';
}
