/**
 * The source job: one run of a feed, sitemap or section page. It runs in the store-role
 * process, beside the database, because deciding what is new needs crawl_state; its requests
 * are as polite as page fetches (the same per-host budget in Redis, robots.txt).
 *
 * Steps: read the source row; fetch it conditionally (a 304 costs no parsing); a body identical
 * to the last one costs no parsing either; parse it (feed, sitemap as a stream, section page)
 * and enqueue new or changed links in batches as they are read; record the outcome on the
 * source; adapt its interval and re-sync its scheduler when the interval changed.
 */
import { createHash } from 'node:crypto';
import { DelayedError, UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { RedisClient } from '../src/queue/redis-connection.ts';
import type { Dispatcher } from 'undici';
import type { Db } from '../db/client.ts';
import type { SourceRow } from '../db/schema.ts';
import type { Config } from '../src/config.ts';
import { nextAdaptiveInterval, type RunChange } from '../src/discover/adaptive-interval.ts';
import type { DiscoveredLink } from '../src/discover/discovered-link.ts';
import { FeedParseError, parseFeedDocument } from '../src/discover/feed.ts';
import { sectionPageLinks } from '../src/discover/section-links.ts';
import { readSitemap, SitemapParseError } from '../src/discover/sitemap.ts';
import { PoliteDelayError } from '../src/fetch/fetch-errors.ts';
import { fetchPage } from '../src/fetch/fetch-page.ts';
import { fetchSource, readSourceText, type SourceBody } from '../src/fetch/fetch-source.ts';
import { HostPoliteness } from '../src/fetch/host-politeness.ts';
import { ROBOTS_CACHE_TTL_MS, ROBOTS_MAX_BYTES, RobotsGate } from '../src/fetch/robots-gate.ts';
import type { Logger } from '../src/log.ts';
import { emptyCounts, enqueueDiscoveredBatch, type DiscoveryCounts, type DiscoveryDeps } from '../src/queue/enqueue-discovered.ts';
import { decideFailure } from '../src/queue/failure-policy.ts';
import type { FetchJobData } from '../src/queue/job-data.ts';
import { SOURCE_QUEUE, openSourceQueue, type SourceJobData } from '../src/queue/source-queue.ts';
import { syncSourceSchedules, upsertSourceScheduler } from '../src/queue/source-schedules.ts';
import { createRedisConnection } from '../src/queue/redis-connection.ts';
import { isRedisConnectionError, type RedisOutageMonitor } from '../src/queue/redis-outage-monitor.ts';
import { findSourceById, listSources, recordSourceRun, type SourceRunRecord } from '../src/store/source-store.ts';

/** Source runs at once in one process: each is one request at a time, mostly waiting on the network. */
const SOURCE_CONCURRENCY = 2;

/** Links handed to the queue per round trip while a source is read. */
const DISCOVERY_BATCH = 500;

/**
 * Sitemap recursion limits: an index may list indexes (depth 3 is index → index → urlset, as
 * large publishers nest them), at most MAX_SITEMAP_FILES files per run and MAX_SITEMAP_RUN_BYTES
 * downloaded in all, so a sitemap tree that never ends (or points at itself) ends the run.
 */
export const MAX_SITEMAP_DEPTH = 3;
export const MAX_SITEMAP_FILES = 1_000;
export const MAX_SITEMAP_RUN_BYTES = 1024 * 1024 * 1024;

/**
 * Longest politeness wait taken inside a run (a sitemap's children are fetched one by one in
 * the host's slots); a longer one puts the whole job back as delayed.
 */
const MAX_SLOT_WAIT_MS = 60_000;

/**
 * A sitemap's body is read at the pace its URLs are enqueued: it may take this many times
 * FETCH_TIMEOUT_MS in all (a server silent for FETCH_TIMEOUT_MS is cut off sooner).
 */
const SITEMAP_BODY_DEADLINE_FACTOR = 15;

/** A politeness lease outlives the longest source read (a 50 MB sitemap on a slow link). */
function sourceLeaseMs(config: Config): number {
  return config.FETCH_TIMEOUT_MS * (SITEMAP_BODY_DEADLINE_FACTOR + 1);
}

/** Reasons recorded for sources whose body is not what their kind says. */
export const NOT_A_FEED = 'not-a-feed';
export const NOT_A_SITEMAP = 'not-a-sitemap';
export const SITEMAP_LOOP = 'sitemap-loop';

/** A source that answered but cannot be read: permanent for this run. */
class SourceContentError extends Error {
  override readonly name = 'SourceContentError';
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

export interface SourceJobDeps {
  config: Config;
  db: Db;
  redis: RedisClient;
  fetchQueue: Queue<FetchJobData>;
  sourceQueue: Queue<SourceJobData>;
  dispatcher: Dispatcher;
  politeness: HostPoliteness;
  robots: RobotsGate | null;
  logger: Logger;
  now?: () => Date;
}

interface RunResult {
  status: SourceRunRecord['status'];
  reason: string | null;
  error: string | null;
  httpStatus: number;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  counts: DiscoveryCounts | null;
  bytes: number;
}

export function createSourceJobHandler(deps: SourceJobDeps) {
  const now = deps.now ?? (() => new Date());
  return async function handleSourceJob(job: Job<SourceJobData>, token?: string): Promise<string> {
    const source = findSourceById(deps.db, job.data.sourceId);
    if (!source || source.url !== job.data.url) return 'source-removed';
    if (source.paused) return 'source-paused';
    const lock = `${deps.config.QUEUE_PREFIX}:source-running:${source.id}`;
    if (!(await takeRunLock(deps, lock, String(job.id)))) return 'already-running';
    const startedAt = now();
    try {
      const result = await runSource(source, job, deps, startedAt);
      await recordRun(deps, source, result, startedAt);
      deps.logger.info('source run', { url: source.url, status: result.status, found: result.counts?.found ?? null, enqueued: result.counts?.enqueued ?? null, refreshed: result.counts?.refreshed ?? null });
      return result.status;
    } catch (error) {
      return await handleRunFailure(job, token, source, error, startedAt, deps);
    } finally {
      await deps.redis.del(lock);
    }
  };
}

/**
 * One run of a source at a time: a scheduled run and `source run` overlapping would read it
 * twice. The lock names the job holding it; a lock left by a worker that died mid-run (its job
 * no longer active, or this very job taken over after the crash) is taken over at once rather
 * than waited out.
 */
async function takeRunLock(deps: SourceJobDeps, lock: string, jobId: string): Promise<boolean> {
  const leaseMs = sourceLeaseMs(deps.config);
  if ((await deps.redis.set(lock, jobId, 'PX', leaseMs, 'NX')) === 'OK') return true;
  const holder = await deps.redis.get(lock);
  if (holder !== null && holder !== jobId && (await deps.sourceQueue.getJobState(holder)) === 'active') return false;
  await deps.redis.set(lock, jobId, 'PX', leaseMs);
  return true;
}

async function runSource(source: SourceRow, job: Job<SourceJobData>, deps: SourceJobDeps, startedAt: Date): Promise<RunResult> {
  const slotToken = `source-${job.id ?? source.id}`;
  const discovery: DiscoveryDeps = { config: deps.config, redis: deps.redis, fetchQueue: deps.fetchQueue, db: deps.db, sourceUrl: source.url };
  if (source.kind === 'page') return runSectionPage(source, slotToken, deps, discovery, startedAt);
  const fetched = await politely(deps, source.url, slotToken, (sent) =>
    fetchSource(source.url, sourceFetchOptions(deps.config, deps, sent, source.etag, source.lastModified, source.kind)),
  );
  const base = { httpStatus: fetched.status, etag: fetched.etag, lastModified: fetched.lastModified, reason: null, error: null };
  if (fetched.kind === 'not-modified') return { ...base, status: 'not-modified', contentHash: null, counts: null, bytes: 0 };
  if (source.kind === 'feed') {
    const xml = await readSourceText(fetched);
    const hash = fetched.contentHash();
    const bytes = fetched.bytesReceived();
    if (hash === source.contentHash) return { ...base, status: 'unchanged', contentHash: hash, counts: null, bytes };
    let links: DiscoveredLink[];
    try {
      links = parseFeedDocument(xml, fetched.finalUrl).links;
    } catch (error) {
      if (error instanceof FeedParseError) throw new SourceContentError(NOT_A_FEED, error.message);
      throw error;
    }
    const counts = await enqueueAll(discovery, links, startedAt);
    return { ...base, status: changeOf(counts), contentHash: hash, counts, bytes };
  }
  return runSitemapTree(source, fetched, slotToken, deps, discovery, base, startedAt);
}

async function runSectionPage(source: SourceRow, slotToken: string, deps: SourceJobDeps, discovery: DiscoveryDeps, startedAt: Date): Promise<RunResult> {
  const { config } = deps;
  const page = await politely(deps, source.url, slotToken, (sent) =>
    fetchPage(source.url, {
      dispatcher: deps.dispatcher,
      userAgent: config.USER_AGENT,
      timeoutMs: config.FETCH_TIMEOUT_MS,
      maxBodyBytes: Math.min(config.MAX_BODY_BYTES, config.SOURCE_MAX_BYTES),
      maxRedirects: config.MAX_REDIRECTS,
      etag: source.etag,
      lastModified: source.lastModified,
      onRequestSent: sent,
    }),
  );
  const base = { httpStatus: page.status, etag: page.etag, lastModified: page.lastModified, reason: null, error: null };
  if (page.kind === 'not-modified') return { ...base, status: 'not-modified', contentHash: null, counts: null, bytes: 0 };
  const hash = createHash('sha256').update(page.html).digest('hex');
  const bytes = Buffer.byteLength(page.html);
  if (hash === source.contentHash) return { ...base, status: 'unchanged', contentHash: hash, counts: null, bytes };
  const pattern = source.pattern ? new RegExp(source.pattern) : null;
  const counts = await enqueueAll(discovery, sectionPageLinks(page.html, page.finalUrl, pattern), startedAt);
  return { ...base, status: changeOf(counts), contentHash: hash, counts, bytes };
}

/**
 * A sitemap and, for an index, its children, depth first within the limits. Children whose
 * lastmod is not newer than this source's last run are skipped (they have not changed); a
 * child seen before in this run (an index that lists itself, a cycle) is skipped as a loop.
 */
async function runSitemapTree(
  source: SourceRow,
  root: SourceBody,
  slotToken: string,
  deps: SourceJobDeps,
  discovery: DiscoveryDeps,
  base: Pick<RunResult, 'httpStatus' | 'etag' | 'lastModified' | 'reason' | 'error'>,
  startedAt: Date,
): Promise<RunResult> {
  const counts = emptyCounts();
  const seen = new Set<string>();
  const visited = new Set<string>([source.url, root.finalUrl]);
  const lastRun = source.lastStatus && source.lastStatus !== 'failed' && source.lastRunAt ? Date.parse(source.lastRunAt) : null;
  let files = 0;
  let bytes = 0;
  let loops = 0;
  let rootHash: string | null = null;
  const readOne = async (body: SourceBody, depth: number): Promise<void> => {
    files += 1;
    let result;
    try {
      result = await readSitemap(body.text, body.finalUrl, (links) => enqueueDiscoveredBatch(discovery, links, seen, counts, startedAt), DISCOVERY_BATCH);
    } catch (error) {
      body.cancel();
      if (error instanceof SitemapParseError) throw new SourceContentError(NOT_A_SITEMAP, `${body.finalUrl}: ${error.message}`);
      throw error;
    } finally {
      bytes += body.bytesReceived();
    }
    if (depth === 0) rootHash = body.contentHash();
    for (const child of result.children) {
      if (visited.has(child.url)) {
        loops += 1;
        continue;
      }
      visited.add(child.url);
      if (lastRun !== null && child.lastmod !== null && Date.parse(child.lastmod) <= lastRun) continue;
      if (depth + 1 >= MAX_SITEMAP_DEPTH || files >= MAX_SITEMAP_FILES || bytes >= MAX_SITEMAP_RUN_BYTES) {
        deps.logger.warn('sitemap limits reached', { url: source.url, child: child.url, depth, files, bytes });
        break;
      }
      const childBody = await politely(deps, child.url, slotToken, (sent) => fetchSource(child.url, sourceFetchOptions(deps.config, deps, sent, null, null, 'sitemap')));
      if (childBody.kind === 'body') await readOne(childBody, depth + 1);
    }
  };
  await readOne(root, 0);
  if (counts.found === 0 && loops > 0 && files === 1) {
    throw new SourceContentError(SITEMAP_LOOP, `${source.url} is a sitemap index that lists only itself or sitemaps already read`);
  }
  return {
    ...base,
    ...(loops > 0 ? { reason: SITEMAP_LOOP, error: `${loops} sitemap(s) listed again in a loop were skipped` } : {}),
    status: changeOf(counts),
    contentHash: rootHash,
    counts,
    bytes,
  };
}

async function enqueueAll(discovery: DiscoveryDeps, links: readonly DiscoveredLink[], now: Date): Promise<DiscoveryCounts> {
  const counts = emptyCounts();
  const seen = new Set<string>();
  for (let start = 0; start < links.length; start += DISCOVERY_BATCH) {
    await enqueueDiscoveredBatch(discovery, links.slice(start, start + DISCOVERY_BATCH), seen, counts, now);
  }
  return counts;
}

function changeOf(counts: DiscoveryCounts): 'changed' | 'unchanged' {
  return counts.enqueued + counts.refreshed > 0 ? 'changed' : 'unchanged';
}

/**
 * A feed is parsed whole, so it gets the page limit (MAX_BODY_BYTES); a sitemap is streamed,
 * so it may be as large as SOURCE_MAX_BYTES (the protocol's 50 MB) and take longer to read.
 */
function sourceFetchOptions(config: Config, deps: SourceJobDeps, sent: () => Promise<void>, etag: string | null, lastModified: string | null, kind: SourceRow['kind']) {
  const sitemap = kind === 'sitemap';
  return {
    dispatcher: deps.dispatcher,
    userAgent: config.USER_AGENT,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    bodyDeadlineMs: sitemap ? config.FETCH_TIMEOUT_MS * SITEMAP_BODY_DEADLINE_FACTOR : config.FETCH_TIMEOUT_MS,
    maxBytes: sitemap ? config.SOURCE_MAX_BYTES : Math.min(config.MAX_BODY_BYTES, config.SOURCE_MAX_BYTES),
    maxRedirects: config.MAX_REDIRECTS,
    etag,
    lastModified,
    onRequestSent: sent,
  };
}

/**
 * One request inside the host's politeness: robots.txt first (fetched in a slot of its own when
 * not cached), then a slot for the request, waited for in-process when the wait is short.
 */
async function politely<T>(deps: SourceJobDeps, url: string, token: string, request: (sent: () => Promise<void>) => Promise<T>): Promise<T> {
  const host = new URL(url).host;
  if (deps.robots) {
    const robots = deps.robots;
    const rules =
      (await robots.cached(url)) ??
      (await inSlot(deps, host, token, async (sent) => {
        const fetched = await robots.fetch(url, sent);
        await deps.politeness.setCrawlDelay(host, fetched.crawlDelayMs(deps.config.USER_AGENT), ROBOTS_CACHE_TTL_MS);
        return fetched;
      }));
    robots.assertAllowed(rules, url);
  }
  return inSlot(deps, host, token, request);
}

async function inSlot<T>(deps: SourceJobDeps, host: string, token: string, request: (sent: () => Promise<void>) => Promise<T>): Promise<T> {
  const waitedUntil = Date.now() + MAX_SLOT_WAIT_MS;
  for (;;) {
    const slot = await deps.politeness.acquire(host, token);
    if (slot.acquired) break;
    if (Date.now() + slot.waitMs > waitedUntil) throw new PoliteDelayError('host-busy', slot.waitMs, `${host} is busy: next slot in ${slot.waitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
  }
  try {
    return await request(() => deps.politeness.started(host));
  } catch (error) {
    if (error instanceof PoliteDelayError && error.reason === 'rate-limited') await deps.politeness.blockFor(host, error.retryAfterMs);
    throw error;
  } finally {
    await deps.politeness.release(host, token);
  }
}

async function recordRun(deps: SourceJobDeps, source: SourceRow, result: RunResult, at: Date): Promise<void> {
  const change: RunChange = result.status === 'changed' ? 'changed' : result.status === 'failed' || result.status === 'retrying' ? 'failed' : 'unchanged';
  const intervalMs = nextIntervalOf(deps.config, source, change);
  recordSourceRun(
    deps.db,
    source.id,
    {
      status: result.status,
      reason: result.reason,
      error: result.error,
      httpStatus: result.httpStatus,
      etag: result.etag,
      lastModified: result.lastModified,
      contentHash: result.contentHash,
      linksFound: result.counts?.found ?? null,
      linksNew: result.counts ? result.counts.enqueued + result.counts.refreshed : null,
      bytes: result.bytes,
      intervalMs,
      nextRunAt: intervalMs ?? source.intervalMs ? new Date(at.getTime() + (intervalMs ?? source.intervalMs)!).toISOString() : null,
    },
    at,
  );
  if (intervalMs !== null && intervalMs !== source.intervalMs) {
    await upsertSourceScheduler(deps.sourceQueue, source, { every: intervalMs }, deps.config, at.getTime() + intervalMs);
  }
}

/** The adaptive source's next interval, or null when the interval is fixed (or a cron). */
function nextIntervalOf(config: Config, source: SourceRow, change: RunChange): number | null {
  if (!source.adaptive || source.cron || source.intervalMs === null) return null;
  return nextAdaptiveInterval(source.intervalMs, change, config.SOURCE_MIN_INTERVAL, config.SOURCE_MAX_INTERVAL);
}

async function handleRunFailure(job: Job<SourceJobData>, token: string | undefined, source: SourceRow, error: unknown, startedAt: Date, deps: SourceJobDeps): Promise<never> {
  const decision =
    error instanceof SourceContentError
      ? { action: 'fail' as const, reason: error.reason, message: error.message, httpStatus: null }
      : decideFailure(error, { attemptNumber: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1, rateLimitDelays: 0 });
  if (decision.action === 'delay') {
    await job.moveToDelayed(Date.now() + decision.delayMs, token);
    throw new DelayedError();
  }
  const status = decision.action === 'retry' ? 'retrying' : 'failed';
  await recordRun(deps, source, { status, reason: decision.reason, error: decision.message, httpStatus: decision.httpStatus ?? 0, etag: null, lastModified: null, contentHash: null, counts: null, bytes: 0 }, startedAt);
  deps.logger.warn('source run failed', { url: source.url, reason: decision.reason, message: decision.message, retry: decision.action === 'retry' });
  if (decision.action === 'retry') throw new Error(`${decision.reason}: ${decision.message}`);
  throw new UnrecoverableError(`${decision.reason}: ${decision.message}`);
}

export interface SourceRuntimeOptions {
  config: Config;
  db: Db;
  /** The process's shared command connection (politeness, robots, the known-URL set). */
  connection: RedisClient;
  fetchQueue: Queue<FetchJobData>;
  dispatcher: Dispatcher;
  logger: Logger;
  lockDurationMs: number;
  /** Reports lost and regained Redis connections once, for the worker's own connection too. */
  monitor?: RedisOutageMonitor;
}

export interface SourceRuntime {
  worker: Worker<SourceJobData>;
  /** Resolves when the schedulers have been synced from the sources table at start-up. */
  synced: Promise<void>;
  close(force?: boolean): Promise<void>;
}

/** The source worker of a store-role process, with its start-up sync of the schedulers. */
export function startSourceRuntime(options: SourceRuntimeOptions): SourceRuntime {
  const { config, db, connection, logger } = options;
  const sourceQueue = openSourceQueue(config, connection);
  // A lost connection is reported once by the monitor; without a listener BullMQ would print
  // every reconnect failure of this queue raw.
  sourceQueue.on('error', (error: Error) => {
    if (!isRedisConnectionError(error)) logger.error('queue error', { queue: SOURCE_QUEUE, error: error.message });
  });
  const blocking = createRedisConnection(config.REDIS_URL, options.monitor);
  const politeness = new HostPoliteness(connection, {
    prefix: config.QUEUE_PREFIX,
    concurrency: config.PER_HOST_CONCURRENCY,
    delayMs: config.PER_HOST_DELAY_MS,
    leaseMs: sourceLeaseMs(config),
  });
  const robots = config.RESPECT_ROBOTS
    ? new RobotsGate(connection, {
        prefix: config.QUEUE_PREFIX,
        userAgent: config.USER_AGENT,
        fetchRobotsText: (robotsUrl, onRequestSent) =>
          fetchPage(robotsUrl, {
            ...(onRequestSent ? { onRequestSent } : {}),
            dispatcher: options.dispatcher,
            userAgent: config.USER_AGENT,
            timeoutMs: config.FETCH_TIMEOUT_MS,
            maxBodyBytes: ROBOTS_MAX_BYTES,
            maxRedirects: config.MAX_REDIRECTS,
            accept: 'text/plain,*/*;q=0.5',
            acceptContentType: () => true,
          }),
      })
    : null;
  const handler = createSourceJobHandler({ config, db, redis: connection, fetchQueue: options.fetchQueue, sourceQueue, dispatcher: options.dispatcher, politeness, robots, logger });
  const worker = new Worker<SourceJobData>(SOURCE_QUEUE, handler, {
    connection: blocking,
    prefix: config.QUEUE_PREFIX,
    concurrency: SOURCE_CONCURRENCY,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.lockDurationMs,
  });
  const synced = syncSourceSchedules(sourceQueue, listSources(db), config).then((report) => {
    logger.info('source schedules synced', { ...report });
  });
  synced.catch((error: Error) => logger.error('source schedule sync failed', { message: error.message }));
  return {
    worker,
    synced,
    async close(force = false) {
      // Forced (the shutdown deadline passed, or Redis never answered): do not wait for runs in
      // flight; their jobs are taken over as stalled by the next worker.
      await worker.close(force);
      await sourceQueue.close();
      await blocking.quit().catch(() => blocking.disconnect());
    },
  };
}
