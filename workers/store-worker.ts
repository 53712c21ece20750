/**
 * The store job: the only writer of the SQLite file. It upserts the article (if any) and
 * records the attempt's outcome in crawl_state, in one transaction.
 *
 * A result is never dropped: when the database refuses writes (disk full, I/O error, locked,
 * read-only) the job waits in place and tries again with a growing delay, as long as it takes;
 * the store queue waits behind it (one writer), and `ingest status` shows why. Only an error
 * about the data itself fails the job, after a few attempts, and then the URL is recorded as
 * failed with reason `store-failed`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { RedisClient } from '../src/queue/redis-connection.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../src/config.ts';
import type { Logger } from '../src/log.ts';
import type { PipelineMetricsRecorder } from '../src/queue/pipeline-metrics.ts';
import type { StoreJobData } from '../src/queue/job-data.ts';
import { KnownUrls } from '../src/queue/known-urls.ts';
import { upsertArticle, WRITE_TRANSACTION, type UpsertOutcome } from '../src/store/article-store.ts';
import { recordCrawlOutcome } from '../src/store/crawl-state-store.ts';
import { scheduleNextRefresh } from '../src/store/refresh-store.ts';
import { isStorageUnavailable, storageErrorCode, storageErrorMessage } from '../src/store/storage-errors.ts';
import { jobIdForUrl } from '../src/url/job-id.ts';
import { StoreWait, type StoreWaitTiming } from './store-wait.ts';
import { markRecorded } from './unhandled-failure.ts';

/** Reason recorded when the store itself rejected a result (a data error, not a full disk). */
export const STORE_FAILED = 'store-failed';

export interface StoreJobDeps {
  db: Db;
  logger: Logger;
  /** For the known-URL set and the store health `ingest status` reads. */
  redis: RedisClient;
  config: Pick<Config, 'QUEUE_PREFIX' | 'DATABASE_PATH'>;
  /** Aborted when the process stops: a job waiting for the database goes back to the queue. */
  stopping: AbortSignal;
  /** Retry delays while the database refuses writes (tests shorten them). */
  timing?: Partial<StoreWaitTiming>;
  /** Where outcomes, fetch latencies and store lag are published for /metrics; none in some tests. */
  metrics?: PipelineMetricsRecorder;
  now?: () => Date;
  /** REFRESH_SCHEDULE: when stored articles are checked again (fills crawl_state.next_fetch_at). */
  refreshScheduleMs?: readonly number[];
}

export function createStoreJobHandler(deps: StoreJobDeps) {
  const now = deps.now ?? (() => new Date());
  const wait = new StoreWait({ logger: deps.logger, redis: deps.redis, config: deps.config, ...(deps.timing ?? {}) });
  return async function handleStoreJob(job: Job<StoreJobData>, token?: string): Promise<UpsertOutcome | 'recorded'> {
    for (let failures = 0; ; failures += 1) {
      let result: UpsertOutcome | 'recorded';
      const at = now();
      try {
        result = writeStoreJob(deps.db, job.data, at, deps.refreshScheduleMs);
      } catch (error) {
        if (!isStorageUnavailable(error)) return failOnDataError(job, error, deps, now());
        wait.failed(error, job.data.outcome.url);
        const delayMs = wait.delayAfter(failures);
        if (deps.stopping.aborted) return putBack(job, token, delayMs);
        await sleep(delayMs, undefined, { signal: deps.stopping }).catch(() => undefined);
        if (deps.stopping.aborted) return putBack(job, token, 0);
        continue;
      }
      wait.succeeded();
      void deps.metrics?.recordOutcome(job.data.outcome, at);
      await forgetFinalFailure(job.data, deps);
      return result;
    }
  };
}

/** The article and the outcome, in one immediate transaction. */
function writeStoreJob(db: Db, data: StoreJobData, at: Date, refreshScheduleMs: readonly number[] | undefined): UpsertOutcome | 'recorded' {
  const { outcome, article } = data;
  return db.transaction(() => {
    const stored = article ? upsertArticle(db, article, at) : null;
    recordCrawlOutcome(db, outcome, stored?.id ?? null, at);
    if (refreshScheduleMs) scheduleNextRefresh(db, outcome.url, refreshScheduleMs);
    return stored?.outcome ?? 'recorded';
  }, WRITE_TRANSACTION);
}

/**
 * A URL that ended failed leaves the known-URL set once its outcome is recorded: the set means
 * "queued, in progress or done", so `ingest enqueue` takes a failed URL again.
 */
async function forgetFinalFailure(data: StoreJobData, deps: StoreJobDeps): Promise<void> {
  if (data.outcome.status !== 'failed') return;
  await new KnownUrls(deps.redis, deps.config.QUEUE_PREFIX).remove([jobIdForUrl(data.outcome.url)]);
}

/** Back to the queue (delayed) without using an attempt: the process is stopping. */
async function putBack(job: Job<StoreJobData>, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

/**
 * The data was refused (a constraint, a value SQLite cannot bind): retry a few times (BullMQ
 * attempts), then record the URL as failed so a person can see it, and fail the job for good.
 */
async function failOnDataError(job: Job<StoreJobData>, error: unknown, deps: StoreJobDeps, at: Date): Promise<never> {
  const message = storageErrorMessage(error);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  deps.logger.error('store job failed', { url: job.data.outcome.url, code: storageErrorCode(error), message, lastAttempt });
  if (!lastAttempt) throw error;
  const outcome = { ...job.data.outcome, status: 'failed' as const, reason: STORE_FAILED, error: message };
  try {
    deps.db.transaction(() => recordCrawlOutcome(deps.db, outcome, null, at), WRITE_TRANSACTION);
    await forgetFinalFailure({ outcome }, deps);
  } catch (recordError) {
    deps.logger.error('store failure not recorded', { url: outcome.url, message: storageErrorMessage(recordError) });
  }
  throw markRecorded(new UnrecoverableError(`${STORE_FAILED}: ${message}`));
}
