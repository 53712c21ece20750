/**
 * The fetch job: fetch the page, extract the article, hand both the article and the outcome to
 * the store queue. Stateless: it needs Redis and the network, nothing else (DESIGN.md). In a
 * `--role all` process the result is written by the process's own store instead, when that store
 * takes it (store-worker.ts, LocalStore), and the job completes once it is committed.
 */
import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Dispatcher } from 'undici';
import type { Config } from '../src/config.ts';
import type { ExtractionResult, ExtractOptions, SiteProfile } from '../src/extract/index.ts';
import { decodeHtml } from '../src/fetch/charset.ts';
import { FetchError, PoliteDelayError } from '../src/fetch/fetch-errors.ts';
import { fetchPageBytes, type FetchPageBytesResult, type PageBody } from '../src/fetch/fetch-page.ts';
import type { HostPoliteness } from '../src/fetch/host-politeness.ts';
import { ROBOTS_CACHE_TTL_MS, type RobotsGate } from '../src/fetch/robots-gate.ts';
import type { Logger } from '../src/log.ts';
import { decideFailure, ExtractionError, type FailureDecision } from '../src/queue/failure-policy.ts';
import type { PipelineMetricsRecorder } from '../src/queue/pipeline-metrics.ts';
import type { FetchJobData, StoreJobData } from '../src/queue/job-data.ts';
import { storeJobId, storeJobOptions } from '../src/queue/job-options.ts';
import { markRecorded } from './unhandled-failure.ts';
import type { CrawlOutcome } from '../src/store/crawl-outcome.ts';
import { siteOf } from '../src/url/canonicalize.ts';
import { PageTooComplexError } from './extraction-pool.ts';

/** Reason recorded when a page has no main content to store. */
export const NO_CONTENT = 'no-content';

/**
 * Extracts one fetched page from its bytes: the extraction pool's threads in a worker process
 * (ExtractionPool.extractBytes, which decodes them in the thread), any function in tests
 * ({@link decodingFirst}). It may reject with PageTooComplexError (recorded as `too-complex`).
 */
export type Extractor = (body: PageBody, options: ExtractOptions) => ExtractionResult | Promise<ExtractionResult>;

/** Extracts one page from its text (extractArticle, or a test's own). */
export type TextExtractor = (html: string, options: ExtractOptions) => ExtractionResult | Promise<ExtractionResult>;

/** An Extractor that decodes the page on the event loop, then runs `extract` on its text (tests). */
export function decodingFirst(extract: TextExtractor): Extractor {
  return (body, options) => extract(decodeHtml(body.bytes, body.contentType).text, options);
}

export interface FetchJobDeps {
  config: Config;
  storeQueue: Queue<StoreJobData>;
  dispatcher: Dispatcher;
  extract: Extractor;
  profiles: readonly SiteProfile[];
  politeness: HostPoliteness;
  /** Null when RESPECT_ROBOTS=false. */
  robots: RobotsGate | null;
  logger: Logger;
  /** Where extraction times and politeness waits are published for /metrics; none in some tests. */
  metrics?: PipelineMetricsRecorder;
  /** Told the id of every store job this process adds (a shutdown drains them). */
  onHandoff?: (storeJobId: string) => void;
  /**
   * The process's own store (`--role all`): resolves once the result is committed; a rejection
   * (the database is refusing writes, the process is stopping, the write failed) sends the
   * result to the store queue as a store job, as without it.
   */
  storeLocally?: (data: StoreJobData) => Promise<unknown>;
  now?: () => Date;
}

export function createFetchJobHandler(handlerDeps: FetchJobDeps) {
  const deps: FetchJobDeps = { ...handlerDeps, extract: reportingExtractionErrors(handlerDeps.extract) };
  const now = deps.now ?? (() => new Date());
  return async function handleFetchJob(job: Job<FetchJobData>, token?: string): Promise<string> {
    const attempt = job.attemptsMade + 1;
    const startedAt = now();
    try {
      const fetched = await politelyFetch(job, deps);
      const handoff = await buildHandoff(job.data, fetched, attempt, startedAt, deps);
      await handOff(job, attempt, handoff, deps);
      return handoff.outcome.status;
    } catch (error) {
      const decision = decideFailure(error, {
        attemptNumber: attempt,
        // The job's own limit, which BullMQ enforces: the worker's FETCH_ATTEMPTS may differ
        // from the enqueuer's, and then a "retrying" record would never be followed up.
        maxAttempts: job.opts.attempts ?? 1,
        rateLimitDelays: job.data.rateLimitDelays ?? 0,
      });
      return handleFailure(job, token, decision, attempt, startedAt, deps);
    }
  };
}

/**
 * The fetch inside the host's politeness slots: consult robots.txt (fetching it, when not
 * cached, takes a slot of its own), then take a slot (or be delayed until the reserved one) and
 * fetch the page.
 */
async function politelyFetch(job: Job<FetchJobData>, deps: FetchJobDeps): Promise<FetchPageBytesResult> {
  const { url } = job.data;
  const host = new URL(url).host;
  const token = job.id ?? url;
  if (deps.robots) {
    const robots = deps.robots;
    const rules =
      (await robots.cached(url)) ??
      (await robots.once(url, () => withSlot(deps, host, token, (sent) => fetchRobots(robots, url, host, sent, deps))));
    deps.robots.assertAllowed(rules, url);
  }
  return withSlot(deps, host, token, (sent) => fetchJobPage(job.data, sent, deps));
}

async function fetchRobots(robots: RobotsGate, url: string, host: string, sent: () => Promise<void>, deps: FetchJobDeps) {
  const rules = await robots.fetch(url, sent);
  await deps.politeness.setCrawlDelay(host, rules.crawlDelayMs(deps.config.USER_AGENT), ROBOTS_CACHE_TTL_MS);
  return rules;
}

/**
 * Run one request of `host` inside a politeness slot. The request reports when it is on its way
 * (`sent`), which is the start the next request's delay counts from; a Retry-After pushes the
 * whole host back.
 */
async function withSlot<T>(
  deps: FetchJobDeps,
  host: string,
  token: string,
  request: (sent: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const recordStart = await takeSlot(deps, host, token);
  try {
    return await request(recordStart ? () => deps.politeness.started(host) : startNeedsNoRecord);
  } catch (error) {
    if (error instanceof PoliteDelayError && error.reason === 'rate-limited') {
      await deps.politeness.blockFor(host, error.retryAfterMs);
    }
    throw error;
  } finally {
    await deps.politeness.release(host, token);
  }
}

/** Takes the host's slot (or throws the wait); true when the request's start must be recorded. */
async function takeSlot(deps: FetchJobDeps, host: string, token: string): Promise<boolean> {
  const slot = await deps.politeness.acquire(host, token);
  if (!slot.acquired) {
    deps.metrics?.observePolitenessWait(host, slot.waitMs);
    throw new PoliteDelayError('host-busy', slot.waitMs, `${host} is busy: next slot in ${slot.waitMs} ms`);
  }
  return slot.recordStart;
}

/** A host without a delay: when its requests start changes nothing, so nothing is sent. */
async function startNeedsNoRecord(): Promise<void> {}

function fetchJobPage(data: FetchJobData, sent: () => Promise<void>, deps: FetchJobDeps): Promise<FetchPageBytesResult> {
  return fetchPageBytes(data.url, {
    onRequestSent: sent,
    dispatcher: deps.dispatcher,
    userAgent: deps.config.USER_AGENT,
    timeoutMs: deps.config.FETCH_TIMEOUT_MS,
    maxBodyBytes: deps.config.MAX_BODY_BYTES,
    maxRedirects: deps.config.MAX_REDIRECTS,
    etag: data.etag ?? null,
    lastModified: data.lastModified ?? null,
  });
}

/** Extract the article (when there is a new page) and describe the attempt for crawl_state. */
async function buildHandoff(
  data: FetchJobData,
  fetched: FetchPageBytesResult,
  attempt: number,
  startedAt: Date,
  deps: FetchJobDeps,
): Promise<StoreJobData> {
  const outcome: CrawlOutcome = {
    url: data.url,
    site: data.site ?? siteOf(data.url),
    status: 'unchanged',
    reason: null,
    httpStatus: fetched.status,
    error: null,
    attempts: attempt,
    finalUrl: fetched.finalUrl,
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    contentHash: data.contentHash ?? null,
    fetchMs: fetched.fetchMs,
    fetchedAt: startedAt.toISOString(),
    nextFetchAt: null,
  };
  if (fetched.kind === 'not-modified') return { outcome };
  // Extraction is pure and should never throw; if it does, decideFailure records it as permanent.
  // A page over the extraction budget (time or memory) is a recorded outcome of its own.
  let extraction: ExtractionResult;
  const extractionStart = performance.now();
  try {
    extraction = await deps.extract(fetched.body, {
      url: fetched.finalUrl,
      retrievedAt: startedAt.toISOString(),
      profiles: deps.profiles,
      now: startedAt,
    });
  } catch (error) {
    if (!(error instanceof PageTooComplexError)) throw error;
    return { outcome: { ...outcome, status: 'failed', reason: error.reason, error: error.message } };
  } finally {
    deps.metrics?.observeExtraction(performance.now() - extractionStart);
  }
  const { article, reason } = extraction;
  if (article.text.trim() === '') {
    return { outcome: { ...outcome, status: 'failed', reason: NO_CONTENT, error: reason ?? 'no main content found' } };
  }
  outcome.contentHash = article.contentHash;
  if (data.contentHash && data.contentHash === article.contentHash) return { outcome };
  return { outcome: { ...outcome, status: 'stored' }, article };
}

async function handleFailure(
  job: Job<FetchJobData>,
  token: string | undefined,
  decision: FailureDecision,
  attempt: number,
  startedAt: Date,
  deps: FetchJobDeps,
): Promise<never> {
  const fields = { url: job.data.url, reason: decision.reason, attempt };
  if (decision.action === 'delay') {
    // Not a failure: come back later without using up an attempt (BullMQ's DelayedError pattern).
    deps.logger.debug('fetch delayed', { ...fields, delayMs: decision.delayMs });
    if (decision.reason === 'rate-limited') {
      await job.updateData({ ...job.data, rateLimitDelays: (job.data.rateLimitDelays ?? 0) + 1 });
    }
    await job.moveToDelayed(Date.now() + decision.delayMs, token);
    throw new DelayedError();
  }
  const outcome: CrawlOutcome = {
    url: job.data.url,
    site: job.data.site ?? siteOf(job.data.url),
    status: decision.action === 'retry' ? 'retrying' : 'failed',
    reason: decision.reason,
    httpStatus: decision.httpStatus,
    error: decision.message,
    attempts: attempt,
    finalUrl: null,
    etag: null,
    lastModified: null,
    contentHash: null,
    fetchMs: null,
    fetchedAt: startedAt.toISOString(),
    nextFetchAt: null,
  };
  await handOff(job, attempt, { outcome }, deps);
  if (decision.action === 'retry') {
    deps.logger.info('fetch failed, will retry', { ...fields, message: decision.message });
    throw markRecorded(new Error(`${decision.reason}: ${decision.message}`));
  }
  deps.logger.warn('fetch failed', { ...fields, message: decision.message });
  throw markRecorded(new UnrecoverableError(`${decision.reason}: ${decision.message}`));
}

async function handOff(job: Job<FetchJobData>, attempt: number, data: StoreJobData, deps: FetchJobDeps): Promise<void> {
  if (deps.storeLocally) {
    try {
      await deps.storeLocally(data);
      return;
    } catch (error) {
      deps.logger.debug('stored through the store queue instead', { url: data.outcome.url, message: error instanceof Error ? error.message : String(error) });
    }
  }
  const jobId = storeJobId(job, attempt);
  await deps.storeQueue.add('store', data, { ...storeJobOptions(), jobId });
  deps.onHandoff?.(jobId);
}

/**
 * Errors of the extractor are the page's fault (permanent `extraction-failed`), whether it
 * throws or rejects (an extractor on worker threads). Typed outcomes pass through unchanged:
 * fetch errors, and any error that names its own `reason` (a page over the extraction budget).
 */
function reportingExtractionErrors(extract: Extractor): Extractor {
  return (body, options) => {
    try {
      const result = extract(body, options);
      return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(asExtractionError(error))) : result;
    } catch (error) {
      throw asExtractionError(error);
    }
  };
}

function asExtractionError(error: unknown): unknown {
  if (error instanceof FetchError || error instanceof ExtractionError) return error;
  if (error instanceof Error && typeof (error as { reason?: unknown }).reason === 'string') return error;
  return new ExtractionError(error);
}
