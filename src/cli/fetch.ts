import { defineCommand } from 'citty';
import type { Config } from '../config.ts';
import { CommandFailedError, UsageError } from '../errors.ts';
import { extractArticle } from '../extract/index.ts';
import { FetchError, PermanentFetchError, toFetchError } from '../fetch/fetch-errors.ts';
import { fetchPage, type FetchPageResult } from '../fetch/fetch-page.ts';
import { createGuardedAgent } from '../fetch/guarded-agent.ts';
import { allowAllRobots, parseRobots, robotsUrlFor, type RobotsRules } from '../fetch/robots.ts';
import { canonicalizeUrl } from '../url/canonicalize.ts';
import { InvalidUrlError } from '../url/errors.ts';
import { loadConfig, loadSiteProfiles } from './runtime.ts';

/** Largest robots.txt read (RFC 9309 §2.5 asks crawlers to parse at least 500 KiB). */
const ROBOTS_MAX_BYTES = 512 * 1024;

export default defineCommand({
  meta: {
    name: 'fetch',
    description:
      'Fetch one page now and print its article, with no queue and no database: the same network guard, limits, robots.txt and per-host delay as the workers.',
  },
  args: {
    url: { type: 'positional', required: true, description: 'The page to fetch' },
    format: { type: 'enum', options: ['json', 'text'], default: 'json', description: 'json: the article; text: headline, date, address, then the body' },
  },
  async run({ args }) {
    if (args._.length > 1) throw new UsageError('fetch takes one URL');
    let url: string;
    try {
      url = canonicalizeUrl(args.url);
    } catch (error) {
      if (error instanceof InvalidUrlError) throw new UsageError(`${JSON.stringify(args.url)}: ${error.reason}`);
      throw error;
    }
    const config = loadConfig();
    const profiles = await loadSiteProfiles(config);
    const dispatcher = createGuardedAgent({
      allowPrivateNetworks: config.ALLOW_PRIVATE_NETWORKS,
      allowedRanges: config.ALLOWED_NETWORKS,
      connectTimeoutMs: config.FETCH_TIMEOUT_MS,
    });
    try {
      const retrievedAt = new Date();
      const page = await politeFetch(url, config, (target, robots) =>
        fetchPage(target, {
          dispatcher,
          userAgent: config.USER_AGENT,
          timeoutMs: config.FETCH_TIMEOUT_MS,
          maxBodyBytes: robots ? ROBOTS_MAX_BYTES : config.MAX_BODY_BYTES,
          maxRedirects: config.MAX_REDIRECTS,
          ...(robots ? { accept: 'text/plain,*/*;q=0.5', acceptContentType: () => true } : {}),
        }),
      );
      if (page.kind !== 'page') throw new CommandFailedError(`${url}: not modified (${page.status})`);
      const { article, reason } = extractArticle(page.html, { url: page.finalUrl, retrievedAt: retrievedAt.toISOString(), profiles, now: retrievedAt });
      if (article.text.trim() === '') throw new CommandFailedError(`${url}: no-content: ${reason ?? 'no main content found'}`);
      if (args.format === 'text') {
        const head = [article.title ?? '(no title)', [article.publishedAt, article.site, article.storyCode && `story ${article.storyCode}`].filter(Boolean).join(' · '), article.url ?? url];
        process.stdout.write(`${head.join('\n')}\n\n${article.text}\n`);
      } else {
        process.stdout.write(`${JSON.stringify(article, null, 2)}\n`);
      }
    } finally {
      await dispatcher.close();
    }
  },
});

type Fetcher = (url: string, robots: boolean) => Promise<FetchPageResult>;

/**
 * robots.txt first (when RESPECT_ROBOTS), then the page, the host's delay (or its Crawl-delay)
 * apart, as a worker would; a refusal or failure is reported with the worker's reason code.
 */
async function politeFetch(url: string, config: Config, fetcher: Fetcher): Promise<FetchPageResult> {
  try {
    if (config.RESPECT_ROBOTS) {
      const started = Date.now();
      const rules = await readRobots(url, fetcher);
      if (!rules.isAllowed(url, config.USER_AGENT)) throw new PermanentFetchError('robots', 'blocked by robots.txt');
      const delayMs = Math.max(config.PER_HOST_DELAY_MS, rules.crawlDelayMs(config.USER_AGENT) ?? 0);
      const wait = started + delayMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    return await fetcher(url, false);
  } catch (error) {
    const failure = error instanceof FetchError ? error : toFetchError(error);
    throw new CommandFailedError(`${url}: ${failure.reason}: ${failure.message}`);
  }
}

/** The robots.txt rules: a 4xx, or a robots.txt that is too large or not text, means no rules (RFC 9309). */
async function readRobots(url: string, fetcher: Fetcher): Promise<RobotsRules> {
  const robotsUrl = robotsUrlFor(url);
  try {
    const result = await fetcher(robotsUrl, true);
    return result.kind === 'page' ? parseRobots(robotsUrl, result.html) : allowAllRobots();
  } catch (error) {
    const failure = error instanceof FetchError ? error : toFetchError(error);
    if (/^http-4\d\d$/.test(failure.reason) && failure.reason !== 'http-429') return allowAllRobots();
    if (failure instanceof PermanentFetchError && failure.reason !== 'forbidden-address') return allowAllRobots();
    throw failure;
  }
}
