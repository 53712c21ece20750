/**
 * The configuration: one schema maps each environment variable to a typed field and its
 * default. It is parsed once, at the process edge (cli/, workers/), and passed down; nothing
 * else in src/ reads process.env.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { ConfigError } from './errors.ts';
import { parseDuration } from './discover/duration.ts';

function isCidr(range: string): boolean {
  try {
    ipaddr.parseCIDR(range);
    return true;
  } catch {
    return false;
  }
}

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'expected true or false',
  })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = z.coerce
  .number({ error: 'expected a number' })
  .int('expected a whole number')
  .positive('expected a number above 0');

const nonNegativeInt = z.coerce
  .number({ error: 'expected a number' })
  .int('expected a whole number')
  .min(0, 'expected 0 or more');

/** A QUEUE_PREFIX: safe characters, with at most one non-empty `{hash tag}` among them. */
const QUEUE_PREFIX_PATTERN = /^(?=.)[A-Za-z0-9_.-]*(?:\{[A-Za-z0-9_.-]+\}[A-Za-z0-9_.-]*)?$/;

/** True when the prefix holds a Redis Cluster hash tag (`{…}`), as BullMQ needs on a cluster. */
export function hasHashTag(prefix: string): boolean {
  return /\{[^{}]+\}/.test(prefix);
}

/** A DURATION ("30s", "15m", "6h", "7d") as milliseconds. */
const durationFromEnv = z.string().transform((value, context) => {
  const ms = parseDuration(value);
  if (ms === null) {
    context.addIssue({ code: 'custom', message: 'expected a duration like 30s, 15m, 6h or 7d' });
    return z.NEVER;
  }
  return ms;
});

/**
 * Every environment variable the pipeline reads, with its default. The README's configuration
 * table and .env.example list the same names; a test keeps them in step.
 */
export const configSchema = z.object({
  /**
   * Redis holding the queues, the known-URL set and the per-host politeness state; a Redis
   * Cluster as `redis+cluster://host:port,host:port` (QUEUE_PREFIX then needs a hash tag).
   */
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine((value) => /^rediss?(?:\+cluster)?:\/\//.test(value), 'expected a redis://, rediss:// or redis+cluster:// URL'),
  /** The SQLite file of clean articles and crawl state (created with its folder). */
  DATABASE_PATH: z.string().min(1, 'must not be empty').default('./data/articles.db'),
  /**
   * Prefix of every Redis key: two pipelines (or test runs) on one Redis stay apart. It may hold
   * one Redis Cluster hash tag, `{ingest}`, which puts every key of the pipeline in one slot.
   */
  QUEUE_PREFIX: z
    .string()
    .default('ingest')
    .refine(
      (value) => QUEUE_PREFIX_PATTERN.test(value),
      'use letters, digits, "_", "." or "-", with at most one {hash tag} of the same characters',
    ),
  /** false: refuse loopback, private, link-local and other internal addresses (SSRF guard). */
  ALLOW_PRIVATE_NETWORKS: booleanFromEnv.default(false),
  /**
   * Address ranges allowed although the SSRF guard refuses them, comma-separated CIDR
   * ("10.20.0.0/16,192.168.5.0/24"): one intranet without opening every private network.
   */
  ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
    .refine((ranges) => ranges.every(isCidr), 'expected comma-separated CIDR ranges like 10.20.0.0/16'),
  /** Requests in flight to one host, across every fetch worker. */
  PER_HOST_CONCURRENCY: positiveInt.default(2),
  /** Minimum time between two request starts on one host (robots.txt Crawl-delay raises it). */
  PER_HOST_DELAY_MS: nonNegativeInt.default(1000),
  /** Whether robots.txt is fetched and obeyed. */
  RESPECT_ROBOTS: booleanFromEnv.default(true),
  USER_AGENT: z
    .string()
    .min(1, 'must not be empty')
    .default('article-ingest/0.1 (+https://github.com/article-ingest)'),
  /** Connect, response-header and whole-body timeout of one request. */
  FETCH_TIMEOUT_MS: positiveInt.default(20_000),
  /** Largest body accepted, before and after decompression. */
  MAX_BODY_BYTES: positiveInt.default(10 * 1024 * 1024),
  /** Redirects followed before a fetch fails. */
  MAX_REDIRECTS: nonNegativeInt.default(5),
  /** Attempts per URL for transient faults (timeouts, resets, 5xx) before it is recorded as failed. */
  FETCH_ATTEMPTS: positiveInt.default(4),
  /** First retry delay; each further retry doubles it, with jitter. */
  RETRY_BASE_DELAY_MS: positiveInt.default(5_000),
  /** Jobs a worker process runs at once (the --concurrency flag overrides it). */
  WORKER_CONCURRENCY: positiveInt.default(8),
  /**
   * On SIGTERM/SIGINT, how long `ingest worker` may take to finish its fetches in flight and
   * store the results it fetched before it exits; past it, unfinished jobs go back to the
   * queue. Keep it below the process manager's kill timeout (docker-compose: stop_grace_period).
   */
  SHUTDOWN_GRACE_MS: positiveInt.default(45_000),
  /**
   * Extraction threads of a fetch process (extraction runs off the event loop, in a pool of
   * worker threads). @defaultValue one per core this process may use, at least 1
   */
  EXTRACT_THREADS: positiveInt.default(() => Math.max(1, availableParallelism())),
  /**
   * Time budget of one page's extraction: a page still extracting after this long ends as
   * `too-complex` and its thread is replaced. Real pages take milliseconds; the default leaves
   * room for a loaded machine.
   */
  EXTRACT_TIMEOUT_MS: positiveInt.default(5_000),
  /**
   * Memory budget of one extraction thread (its V8 heap): a page that needs more ends as
   * `too-complex` and the thread is replaced. A 7 MB page of 6,000 long paragraphs extracts in
   * 64 MB; the default leaves twice that.
   */
  EXTRACT_MEMORY_MB: positiveInt.default(128),
  /** A JSON file of extra site profiles (README, "Site profiles"); empty for none. */
  SITE_PROFILES_PATH: z.string().default(''),
  /** Address `ingest serve` listens on; anything but loopback requires API_TOKEN. */
  SERVE_HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  /** Port `ingest serve` listens on (0: any free port). */
  SERVE_PORT: z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(0, 'expected 0 to 65535')
    .max(65_535, 'expected 0 to 65535')
    .default(8080),
  /**
   * Bearer token of `ingest serve`: when set, every request but /healthz must carry it, and the
   * queue dashboard may retry and remove jobs; empty: loopback only, dashboard read-only.
   */
  API_TOKEN: z
    .string()
    .default('')
    .refine((value) => value === '' || value.length >= 16, 'use at least 16 characters'),
  /** Poll interval of a source added without --every or --cron (DURATION: 30s, 15m, 6h, 7d). */
  SOURCE_DEFAULT_EVERY: durationFromEnv.prefault('15m'),
  /** Shortest interval an adaptive source is polled at (its interval halves while it keeps changing). */
  SOURCE_MIN_INTERVAL: durationFromEnv.prefault('5m'),
  /** Longest interval an adaptive source is polled at (its interval grows while nothing changes). */
  SOURCE_MAX_INTERVAL: durationFromEnv.prefault('24h'),
  /**
   * Largest sitemap read (bytes, before and after decompression; the sitemaps protocol allows
   * 50 MB uncompressed). Sitemaps are parsed as a stream, so this caps the download, not
   * memory. Feeds and section pages, parsed whole, are capped at MAX_BODY_BYTES as pages are.
   */
  SOURCE_MAX_BYTES: positiveInt.default(52_428_800),
  /**
   * When a stored article is checked again for corrections, counted from its publication (or,
   * without a date, from when it was first stored): comma-separated DURATIONs, then never.
   */
  REFRESH_SCHEDULE: z
    .string()
    .prefault('1h,6h,24h,7d')
    .transform((value, context) => {
      const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
      const offsets = parts.map((part) => parseDuration(part));
      if (offsets.some((ms) => ms === null)) {
        context.addIssue({ code: 'custom', message: 'expected comma-separated durations like 1h,6h,24h,7d' });
        return z.NEVER;
      }
      return (offsets as number[]).sort((a, b) => a - b);
    }),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], {
    error: 'expected one of debug, info, warn, error, silent',
  }).default('info'),
  /** Log lines: `pretty` for people, `json` for collectors; `auto` is pretty on a terminal, json otherwise. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json'], { error: 'expected auto, pretty or json' }).default('auto'),
});

export type Config = z.output<typeof configSchema>;
export type ConfigVariable = keyof z.input<typeof configSchema>;

/** The variable names, in schema order (for docs and the compose-file test). */
export const CONFIG_VARIABLES = Object.keys(configSchema.shape) as ConfigVariable[];

/**
 * Parse a configuration from an environment-like record. Empty strings count as unset, so an
 * `.env` line `PER_HOST_DELAY_MS=` means "the default". Throws ConfigError naming every bad
 * variable.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const relevant: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') relevant[name] = value.trim();
  }
  const result = configSchema.safeParse(relevant);
  if (result.success) {
    const config = result.data;
    // BullMQ's scripts touch many keys of a queue at once; on a cluster they must share a slot.
    if (/^rediss?\+cluster:/.test(config.REDIS_URL) && !hasHashTag(config.QUEUE_PREFIX)) {
      throw new ConfigError(
        `invalid configuration:\n  QUEUE_PREFIX=${JSON.stringify(config.QUEUE_PREFIX)}: a Redis Cluster needs a hash tag in the prefix, like {${config.QUEUE_PREFIX}}`,
      );
    }
    return config;
  }
  const problems = result.error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? 'configuration');
    const given = relevant[variable];
    return `${variable}${given === undefined ? '' : `=${JSON.stringify(given)}`}: ${issue.message}`;
  });
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}
